//go:build !purego

#include "textflag.h"

// Folding constants for CRC-32C, printed by _gen/crc32c.py. Each pair is
// the constant for the low quadword (the chunk's upper half in polynomial
// terms) and then for the high quadword of a 128-bit lane.
DATA crcFold2048<>+0(SB)/8, $0xe9a5d8be00000000
DATA crcFold2048<>+8(SB)/8, $0x1426a81500000000
GLOBL crcFold2048<>(SB), RODATA|NOPTR, $16

DATA crcFold512<>+0(SB)/8, $0x1c19243b00000000
DATA crcFold512<>+8(SB)/8, $0x75bba45b00000000
GLOBL crcFold512<>(SB), RODATA|NOPTR, $16

// one pair per lane of a ZMM register: lanes 0, 1 and 2 move 384, 256 and
// 128 bits on to lane 3, which stays (its constants are zero)
DATA crcFoldLanes<>+0(SB)/8, $0xa46ef4aa00000000
DATA crcFoldLanes<>+8(SB)/8, $0x6051243f00000000
DATA crcFoldLanes<>+16(SB)/8, $0x33ccbbbc00000000
DATA crcFoldLanes<>+24(SB)/8, $0xa2158b3400000000
DATA crcFoldLanes<>+32(SB)/8, $0x3743f7bd00000000
DATA crcFoldLanes<>+40(SB)/8, $0x3171d43000000000
DATA crcFoldLanes<>+48(SB)/8, $0
DATA crcFoldLanes<>+56(SB)/8, $0
GLOBL crcFoldLanes<>(SB), RODATA|NOPTR, $64

// FOLD multiplies the two quadwords of each lane of src by the constants of
// k: the low products go to tmp, the high ones replace src. Their sum is
// src carried the distance k is made for.
#define FOLD(k, src, tmp) \
	VPCLMULQDQ $0x00, k, src, tmp; \
	VPCLMULQDQ $0x11, k, src, src

// func crcFoldAVX512(state uint32, p []byte) (lo, hi uint64)
// Requires: AVX512F, VPCLMULQDQ; len(p) ≥ 256 and a multiple of 64.
//
// Returns a 16-byte block whose CRC from a zero state equals the CRC of p
// from state. Four ZMM registers hold 256 bytes; each 128-bit lane is
// carried 256 bytes on and added to the next block, then the registers
// are folded into one, then its lanes into one.
TEXT ·crcFoldAVX512(SB), NOSPLIT, $0-48
	MOVL state+0(FP), AX
	MOVQ p_base+8(FP), SI
	MOVQ p_len+16(FP), CX

	VMOVDQU64 (SI), Z0
	VMOVDQU64 64(SI), Z1
	VMOVDQU64 128(SI), Z2
	VMOVDQU64 192(SI), Z3
	VMOVD     AX, X4
	VPXORQ    Z4, Z0, Z0
	ADDQ      $256, SI
	SUBQ      $256, CX

	VBROADCASTI32X4 crcFold2048<>(SB), Z5

blocks:
	CMPQ CX, $256
	JB   merge
	FOLD(Z5, Z0, Z6)
	VPTERNLOGD $0x96, (SI), Z6, Z0
	FOLD(Z5, Z1, Z7)
	VPTERNLOGD $0x96, 64(SI), Z7, Z1
	FOLD(Z5, Z2, Z8)
	VPTERNLOGD $0x96, 128(SI), Z8, Z2
	FOLD(Z5, Z3, Z9)
	VPTERNLOGD $0x96, 192(SI), Z9, Z3
	ADDQ       $256, SI
	SUBQ       $256, CX
	JMP        blocks

merge:
	VBROADCASTI32X4 crcFold512<>(SB), Z5
	FOLD(Z5, Z0, Z6)
	VPTERNLOGD $0x96, Z6, Z0, Z1
	FOLD(Z5, Z1, Z6)
	VPTERNLOGD $0x96, Z6, Z1, Z2
	FOLD(Z5, Z2, Z6)
	VPTERNLOGD $0x96, Z6, Z2, Z3

tail:
	CMPQ       CX, $64
	JB         lanes
	FOLD(Z5, Z3, Z6)
	VPTERNLOGD $0x96, (SI), Z6, Z3
	ADDQ       $64, SI
	SUBQ       $64, CX
	JMP        tail

lanes:
	VMOVDQU64      crcFoldLanes<>(SB), Z5
	VPCLMULQDQ     $0x00, Z5, Z3, Z6
	VPCLMULQDQ     $0x11, Z5, Z3, Z7
	VPXORQ         Z7, Z6, Z6
	VEXTRACTI32X4  $3, Z3, X7
	VEXTRACTI64X4  $1, Z6, Y8
	VPXORQ         Y8, Y6, Y6
	VEXTRACTI128   $1, Y6, X8
	VPXOR          X8, X6, X6
	VPXOR          X7, X6, X6
	MOVQ           X6, lo+32(FP)
	VPEXTRQ        $1, X6, hi+40(FP)
	VZEROUPPER
	RET
