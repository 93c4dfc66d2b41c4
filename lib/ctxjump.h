#ifndef CKPT_CTXJUMP_H
#define CKPT_CTXJUMP_H

#include <stdint.h>
#include <ucontext.h>

struct ctx_regs {
	uint64_t rbx, rbp, r12, r13, r14, r15, rdi, rsi, rdx, rcx, r8, r9;
	uint64_t rsp, rip, fpenv;
};

/* The registers of a context saved by getcontext, in ckpt_ctx_jump's
 * order. */
static inline void ctx_regs_from(struct ctx_regs *r, const ucontext_t *uc)
{
	const greg_t *g = uc->uc_mcontext.gregs;

	*r = (struct ctx_regs){
		.rbx = (uint64_t)g[REG_RBX], .rbp = (uint64_t)g[REG_RBP],
		.r12 = (uint64_t)g[REG_R12], .r13 = (uint64_t)g[REG_R13],
		.r14 = (uint64_t)g[REG_R14], .r15 = (uint64_t)g[REG_R15],
		.rdi = (uint64_t)g[REG_RDI], .rsi = (uint64_t)g[REG_RSI],
		.rdx = (uint64_t)g[REG_RDX], .rcx = (uint64_t)g[REG_RCX],
		.r8 = (uint64_t)g[REG_R8],   .r9 = (uint64_t)g[REG_R9],
		.rsp = (uint64_t)g[REG_RSP], .rip = (uint64_t)g[REG_RIP],
		.fpenv = (uint64_t)(uintptr_t)uc->uc_mcontext.fpregs,
	};
}

__attribute__((noreturn)) void ckpt_ctx_jump(const struct ctx_regs *r);
long ckpt_clone_thread(unsigned long flags, void *stack_top, int *ptid,
		       int *ctid, unsigned long tls, void (*fn)(void *),
		       void *arg);

#endif
