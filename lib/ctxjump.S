/*
 * Continuing where getcontext returned, with raw instructions only: used by
 * the bootstrap for the thread that took the checkpoint, and by libckpt for
 * every other thread it creates again at resume.
 */
	.text

/*
 * void ckpt_ctx_jump(const struct ctx_regs *r): load the registers
 * getcontext saved and return into its caller once more, as glibc's
 * setcontext does (getcontext "returns" 0).  Layout of struct ctx_regs
 * (ctxjump.h):
 *   0 rbx  8 rbp  16 r12  24 r13  32 r14  40 r15  48 rdi  56 rsi
 *  64 rdx 72 rcx  80 r8   88 r9   96 rsp 104 rip 112 fpenv (pointer)
 */
	.globl ckpt_ctx_jump
	.type ckpt_ctx_jump, @function
ckpt_ctx_jump:
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
	.size ckpt_ctx_jump, .-ckpt_ctx_jump

/*
 * long ckpt_clone_thread(unsigned long flags, void *stack_top, int *ptid,
 *                        int *ctid, unsigned long tls,
 *                        void (*fn)(void *), void *arg)
 * clone(2) for a thread that starts in fn(arg) on stack_top; returns the
 * new tid, or -errno, in the caller.
 */
	.globl ckpt_clone_thread
	.type ckpt_clone_thread, @function
ckpt_clone_thread:
	mov 8(%rsp), %rax
	sub $16, %rsi
	and $-16, %rsi
	mov %r9, 0(%rsi)
	mov %rax, 8(%rsi)
	mov %rcx, %r10
	mov $56, %eax
	syscall
	test %rax, %rax
	jnz 1f
	xor %ebp, %ebp
	pop %rax
	pop %rdi
	call *%rax
	hlt
1:	ret
	.size ckpt_clone_thread, .-ckpt_clone_thread

	.section .note.GNU-stack, "", @progbits
