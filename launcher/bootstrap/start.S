/*
 * Entry and exit of the restore bootstrap.  No libc ever runs here.
 */
	.text

/* The kernel enters with %rsp at argc.  Hand that pointer to C. */
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call boot_main
	hlt
	.size _start, .-_start

/* void boot_switch_stack(void (*fn)(void), void *top): continue in fn on
 * a stack of our own, so the kernel's stack can be unmapped. */
	.globl boot_switch_stack
	.type boot_switch_stack, @function
boot_switch_stack:
	mov %rsi, %rsp
	xor %ebp, %ebp
	call *%rdi
	hlt
	.size boot_switch_stack, .-boot_switch_stack

	.section .note.GNU-stack, "", @progbits
