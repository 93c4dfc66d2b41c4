file(REMOVE_RECURSE
  "CMakeFiles/ckpt-restore.dir/launcher/bootstrap/boot.c.o"
  "CMakeFiles/ckpt-restore.dir/launcher/bootstrap/boot.c.o.d"
  "CMakeFiles/ckpt-restore.dir/launcher/bootstrap/libc.c.o"
  "CMakeFiles/ckpt-restore.dir/launcher/bootstrap/libc.c.o.d"
  "CMakeFiles/ckpt-restore.dir/launcher/bootstrap/start.S.o"
  "CMakeFiles/ckpt-restore.dir/lib/ctxjump.S.o"
  "CMakeFiles/ckpt-restore.dir/lib/fault.c.o"
  "CMakeFiles/ckpt-restore.dir/lib/fault.c.o.d"
  "CMakeFiles/ckpt-restore.dir/lib/image.c.o"
  "CMakeFiles/ckpt-restore.dir/lib/image.c.o.d"
  "CMakeFiles/ckpt-restore.dir/lib/procfs.c.o"
  "CMakeFiles/ckpt-restore.dir/lib/procfs.c.o.d"
  "CMakeFiles/ckpt-restore.dir/lib/str.c.o"
  "CMakeFiles/ckpt-restore.dir/lib/str.c.o.d"
  "CMakeFiles/ckpt-restore.dir/lib/trust.c.o"
  "CMakeFiles/ckpt-restore.dir/lib/trust.c.o.d"
  "lib/ckpt/ckpt-restore"
  "lib/ckpt/ckpt-restore.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang ASM C)
  include(CMakeFiles/ckpt-restore.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
