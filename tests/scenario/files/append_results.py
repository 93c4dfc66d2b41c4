"""A job that appends each result to a file, opening and closing it every
time, the way scripts do: killed and resumed, results.txt must hold every
result exactly once."""
import hashlib
import sys

steps = int(sys.argv[1])
digest = b"seed"
for step in range(steps):
    for _ in range(3000):
        digest = hashlib.sha256(digest).digest()
    with open("results.txt", "a") as out:
        out.write(f"{step} {digest.hex()}\n")
print("done", steps)
