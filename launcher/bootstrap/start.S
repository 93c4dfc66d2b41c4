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

/*
 * void boot_jump(const struct boot_regs *r): load the registers getcontext
 * saved and continue where it returned, as glibc's setcontext does
 * (getcontext "returns" 0 once more).  Layout of struct boot_regs:
 *   0 rbx  8 rbp  16 r12  24 r13  32 r14  40 r15  48 rdi  56 rsi
 *  64 rdx 72 rcx  80 r8   88 r9   96 rsp 104 rip 112 fpenv (pointer)
 */
	.globl boot_jump
	.type boot_jump, @function
boot_jump:
	mov 112(%rdi), %rax
	fldenv (%rax)
	ldmxcsr 24(%rax)
	mov 96(%rdi), %rsp
	pushq 104(%rdi)
	mov 0(%rdi), %rbx
	mov 8(%rdi), %rbp
	mov 16(%rdi), %r12
	mov 24(%rdi), %r13
	mov 32(%rdi), %r14
	mov 40(%rdi), %r15
	mov 56(%rdi), %rsi
	mov 64(%rdi), %rdx
	mov 72(%rdi), %rcx
	mov 80(%rdi), %r8
	mov 88(%rdi), %r9
	mov 48(%rdi), %rdi
	xor %eax, %eax
	ret
	.size boot_jump, .-boot_jump

	.section .note.GNU-stack, "", @progbits
