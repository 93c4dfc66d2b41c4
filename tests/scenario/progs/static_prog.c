/*
 * static_prog: a statically linked program, which ckpt-launch must refuse
 * (LD_PRELOAD cannot reach it).  It would only print a line.
 */
#include <stdio.h>

int main(void)
{
	puts("static_prog ran");
	return 0;
}
