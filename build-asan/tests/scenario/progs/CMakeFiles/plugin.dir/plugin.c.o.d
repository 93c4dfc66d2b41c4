tests/scenario/progs/CMakeFiles/plugin.dir/plugin.c.o: \
 /work/main/tests/scenario/progs/plugin.c /usr/include/stdc-predef.h
