//go:build !purego

#include "textflag.h"

// func tileNEONRaw(k int, a, b []float32, ldb int, c []float32, ldc int)
//
// tileNEONRaw sets the 8×8 tile C[i*ldc+j] = Σ_p a[p*8+i]·b[p*ldb+j]. The 16
// accumulators live in V16-V31, two per row. The Go assembler has no
// by-element FMLA, so it is written as WORD: FMLA Vd.4S, Vn.4S, Vm.S[idx]
// = 0x4F801000 | idx<0>·2^21 | idx<1>·2^11 | m·2^16 | n·2^5 | d.
TEXT ·tileNEONRaw(SB), NOSPLIT, $0-96
	MOVD k+0(FP), R2
	MOVD a_base+8(FP), R0
	MOVD b_base+32(FP), R1
	MOVD ldb+56(FP), R5
	LSL  $2, R5
	MOVD c_base+64(FP), R3
	MOVD ldc+88(FP), R4
	LSL  $2, R4
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16
	CBZ  R2, neonstore

neonloop:
	VLD1.P 32(R0), [V0.S4, V1.S4]
	VLD1 (R1), [V2.S4, V3.S4]
	ADD  R5, R1, R1
	WORD $0x4f801050 // FMLA V16.4S, V2.4S, V0.S[0]
	WORD $0x4f801071 // FMLA V17.4S, V3.4S, V0.S[0]
	WORD $0x4fa01052 // FMLA V18.4S, V2.4S, V0.S[1]
	WORD $0x4fa01073 // FMLA V19.4S, V3.4S, V0.S[1]
	WORD $0x4f801854 // FMLA V20.4S, V2.4S, V0.S[2]
	WORD $0x4f801875 // FMLA V21.4S, V3.4S, V0.S[2]
	WORD $0x4fa01856 // FMLA V22.4S, V2.4S, V0.S[3]
	WORD $0x4fa01877 // FMLA V23.4S, V3.4S, V0.S[3]
	WORD $0x4f811058 // FMLA V24.4S, V2.4S, V1.S[0]
	WORD $0x4f811079 // FMLA V25.4S, V3.4S, V1.S[0]
	WORD $0x4fa1105a // FMLA V26.4S, V2.4S, V1.S[1]
	WORD $0x4fa1107b // FMLA V27.4S, V3.4S, V1.S[1]
	WORD $0x4f81185c // FMLA V28.4S, V2.4S, V1.S[2]
	WORD $0x4f81187d // FMLA V29.4S, V3.4S, V1.S[2]
	WORD $0x4fa1185e // FMLA V30.4S, V2.4S, V1.S[3]
	WORD $0x4fa1187f // FMLA V31.4S, V3.4S, V1.S[3]
	SUBS $1, R2, R2
	BNE  neonloop

neonstore:
	VST1 [V16.S4, V17.S4], (R3)
	ADD  R4, R3, R3
	VST1 [V18.S4, V19.S4], (R3)
	ADD  R4, R3, R3
	VST1 [V20.S4, V21.S4], (R3)
	ADD  R4, R3, R3
	VST1 [V22.S4, V23.S4], (R3)
	ADD  R4, R3, R3
	VST1 [V24.S4, V25.S4], (R3)
	ADD  R4, R3, R3
	VST1 [V26.S4, V27.S4], (R3)
	ADD  R4, R3, R3
	VST1 [V28.S4, V29.S4], (R3)
	ADD  R4, R3, R3
	VST1 [V30.S4, V31.S4], (R3)
	RET

// func gemvNNEON(k, n int, x, b []float32, ldb int, y []float32) int
TEXT ·gemvNNEON(SB), NOSPLIT, $0-104
	MOVD n+8(FP), R9
	MOVD b_base+40(FP), R11
	MOVD ldb+64(FP), R8
	LSL  $2, R8
	MOVD y_base+72(FP), R12
	MOVD $0, R10

gemvwide:
	ADD  $32, R10, R5
	CMP  R9, R5
	BGT  gemvnarrow
	MOVD k+0(FP), R2
	MOVD x_base+16(FP), R0
	ADD  R10<<2, R11, R1
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16

gemvwideloop:
	VLD1R.P 4(R0), [V0.S4]
	VLD1    (R1), [V1.S4, V2.S4, V3.S4, V4.S4]
	ADD     $64, R1, R6
	VLD1    (R6), [V5.S4, V6.S4, V7.S4, V8.S4]
	VFMLA V0.S4, V1.S4, V16.S4
	VFMLA V0.S4, V2.S4, V17.S4
	VFMLA V0.S4, V3.S4, V18.S4
	VFMLA V0.S4, V4.S4, V19.S4
	VFMLA V0.S4, V5.S4, V20.S4
	VFMLA V0.S4, V6.S4, V21.S4
	VFMLA V0.S4, V7.S4, V22.S4
	VFMLA V0.S4, V8.S4, V23.S4
	ADD  R8, R1, R1
	SUBS $1, R2, R2
	BNE  gemvwideloop
	ADD  R10<<2, R12, R6
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R6)
	VST1   [V20.S4, V21.S4, V22.S4, V23.S4], (R6)
	ADD  $32, R10, R10
	B    gemvwide

gemvnarrow:
	ADD  $4, R10, R5
	CMP  R9, R5
	BGT  gemvdone
	MOVD k+0(FP), R2
	MOVD x_base+16(FP), R0
	ADD  R10<<2, R11, R1
	VEOR V16.B16, V16.B16, V16.B16

gemvnarrowloop:
	VLD1R.P 4(R0), [V0.S4]
	VLD1    (R1), [V1.S4]
	VFMLA   V0.S4, V1.S4, V16.S4
	ADD     R8, R1, R1
	SUBS    $1, R2, R2
	BNE     gemvnarrowloop
	ADD     R10<<2, R12, R6
	VST1    [V16.S4], (R6)
	ADD     $4, R10, R10
	B       gemvnarrow

gemvdone:
	MOVD R10, ret+96(FP)
	RET

// func dotNEON(x, y []float32, acc *[16]float32)
//
// dotNEON stores in acc four vectors of partial sums of x[i]·y[i] over the
// first len(x)&^15 elements.
TEXT ·dotNEON(SB), NOSPLIT, $0-56
	MOVD x_base+0(FP), R0
	MOVD x_len+8(FP), R2
	MOVD y_base+24(FP), R1
	MOVD acc+48(FP), R3
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	LSR  $4, R2
	CBZ  R2, dotneondone

dotneonloop:
	VLD1.P 64(R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R1), [V4.S4, V5.S4, V6.S4, V7.S4]
	VFMLA  V0.S4, V4.S4, V16.S4
	VFMLA  V1.S4, V5.S4, V17.S4
	VFMLA  V2.S4, V6.S4, V18.S4
	VFMLA  V3.S4, V7.S4, V19.S4
	SUBS   $1, R2, R2
	BNE    dotneonloop

dotneondone:
	VST1 [V16.S4, V17.S4, V18.S4, V19.S4], (R3)
	RET

// func axpyNEON(alpha float32, x, y []float32)
//
// axpyNEON sets y[i] += alpha·x[i] for the first len(x)&^15 elements.
TEXT ·axpyNEON(SB), NOSPLIT, $0-56
	FMOVS alpha+0(FP), F31
	VDUP  V31.S[0], V31.S4
	MOVD  x_base+8(FP), R0
	MOVD  x_len+16(FP), R2
	MOVD  y_base+32(FP), R1
	LSR   $4, R2
	CBZ   R2, axpyneondone

axpyneonloop:
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1   (R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VFMLA  V4.S4, V31.S4, V0.S4
	VFMLA  V5.S4, V31.S4, V1.S4
	VFMLA  V6.S4, V31.S4, V2.S4
	VFMLA  V7.S4, V31.S4, V3.S4
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R1)
	SUBS   $1, R2, R2
	BNE    axpyneonloop

axpyneondone:
	RET
