# The exception tag that clang's setjmp/longjmp lowering throws with; wasi-libc
# as zig ships it does not define it.
	.globl __c_longjmp
	.tagtype __c_longjmp i32
__c_longjmp:
