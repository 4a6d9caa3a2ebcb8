//go:build !purego

#include "textflag.h"

DATA finiteExp<>+0(SB)/4, $0x7f800000
GLOBL finiteExp<>(SB), RODATA|NOPTR, $4

// func finiteAVX2(x []float32) bool
// Requires: AVX, AVX2; len(x) a multiple of 32.
//
// Marks each lane whose exponent bits are all ones (±Inf, NaN) and ORs the
// marks together; four independent accumulators keep the loads flowing.
TEXT ·finiteAVX2(SB), NOSPLIT, $0-25
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), CX
	VPBROADCASTD finiteExp<>(SB), Y15
	VPXOR        Y0, Y0, Y0
	VPXOR        Y1, Y1, Y1
	VPXOR        Y2, Y2, Y2
	VPXOR        Y3, Y3, Y3
	SHRQ         $5, CX
	JZ           done

loop:
	VPAND    (SI), Y15, Y4
	VPAND    32(SI), Y15, Y5
	VPAND    64(SI), Y15, Y6
	VPAND    96(SI), Y15, Y7
	VPCMPEQD Y15, Y4, Y4
	VPCMPEQD Y15, Y5, Y5
	VPCMPEQD Y15, Y6, Y6
	VPCMPEQD Y15, Y7, Y7
	VPOR     Y4, Y0, Y0
	VPOR     Y5, Y1, Y1
	VPOR     Y6, Y2, Y2
	VPOR     Y7, Y3, Y3
	ADDQ     $128, SI
	DECQ     CX
	JNZ      loop

done:
	VPOR    Y1, Y0, Y0
	VPOR    Y3, Y2, Y2
	VPOR    Y2, Y0, Y0
	VPTEST  Y0, Y0
	SETEQ   ret+24(FP)
	VZEROUPPER
	RET
