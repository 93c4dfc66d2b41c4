/*
 * The program of the security tests (security.sh):
 *   secprog DIR    takes a checkpoint with ckpt_checkpoint() (looked up
 *                  with dlsym, so it also runs without ckpt), then waits for
 *                  DIR/go, writes DIR/out.txt, waits for DIR/go2 and prints
 *                  its uid.  Each step is printed, so the test knows where
 *                  it is.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

static void wait_for(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (int i = 0; i < 6000 && access(path, F_OK); i++)
		usleep(10000);
}

int main(int argc, char **argv)
{
	int (*checkpoint)(void) = (int (*)(void))dlsym(RTLD_DEFAULT,
						       "ckpt_checkpoint");
	char path[4096];
	FILE *f;

	if (argc != 2)
		return 2;
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("checkpoint: %d\n", checkpoint ? checkpoint() : -2);
	wait_for(argv[1], "go");
	snprintf(path, sizeof(path), "%s/out.txt", argv[1]);
	f = fopen(path, "w");
	if (!f || fputs("hello\n", f) < 0 || fclose(f))
		return 1;
	printf("wrote out.txt\n");
	wait_for(argv[1], "go2");
	printf("uid=%d done\n", (int)getuid());
	return 0;
}
