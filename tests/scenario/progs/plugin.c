/*
 * plugin: the small library glibc_state loads with dlopen after it was
 * resumed.  It has code, initialised data and a thread-local counter, so
 * the dynamic loader must relocate it and set up its TLS block then.
 */
static int base = 40;
static __thread int calls;

int plugin_answer(int x)
{
	calls++;
	return base + x;
}

int plugin_calls(void)
{
	return calls;
}
