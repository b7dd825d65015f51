# Counts the primes below 10000 by trial division: a loop-heavy program with
# division, the classic interpreter workload. r0 = 1229.
mov %r0, 0          # count
mov %r1, 2          # candidate
next:
jge %r1, 10000, done
mov %r2, 2          # divisor
trial:
mov %r3, %r2
mul %r3, %r2
jgt %r3, %r1, prime
mov %r4, %r1
mod %r4, %r2
jeq %r4, 0, composite
add %r2, 1
ja trial
prime:
add %r0, 1
composite:
add %r1, 1
ja next
done:
exit
