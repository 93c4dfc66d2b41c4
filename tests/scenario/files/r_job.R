# An R job on OpenBLAS threads: matrix products (scenario real.R).
set.seed(7)
s <- 0
m <- matrix(rnorm(300 * 300), 300)
for (r in 1:1500) {
  m <- (m %*% t(m)) / norm(m %*% t(m), "F") + matrix(rnorm(300 * 300), 300) * 1e-3
  s <- s + sum(diag(m))
  if (r %% 100 == 0) cat("round", r, sprintf("%.6f", s), "\n")
}
cat("done\n")
