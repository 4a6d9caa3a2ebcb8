;; WebAssembly SIMD kernels for nn's js/wasm build. Go emits no SIMD
;; instructions for wasm, so nn.mjs instantiates this module on the Go
;; program's own memory and hands its exports to package simd, which calls
;; them with the byte addresses of Go slices.
;;
;; Regenerate ../kernels.mjs after editing: npm ci && npm run generate
(module
  (import "env" "mem" (memory 1))

  ;; gemv sets y[j] = Σ_p x[p]·b[p*ldb + j] for j < n and p < k, adding in
  ;; order of p. n must be a multiple of 16; x, b and y are byte addresses,
  ;; ldb counts float32 values. Columns go 16 at a time in four vectors.
  (func (export "gemv") (param $k i32) (param $n i32) (param $x i32) (param $b i32) (param $ldb i32) (param $y i32)
    (local $j i32) (local $p i32) (local $row i32) (local $stride i32) (local $xv v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $stride (i32.shl (local.get $ldb) (i32.const 2)))
    (block $cols_done
      (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $s0 (v128.const i32x4 0 0 0 0))
        (local.set $s1 (v128.const i32x4 0 0 0 0))
        (local.set $s2 (v128.const i32x4 0 0 0 0))
        (local.set $s3 (v128.const i32x4 0 0 0 0))
        (local.set $row (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $p (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $xv (f32x4.splat (f32.load (i32.add (local.get $x) (i32.shl (local.get $p) (i32.const 2))))))
            (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $xv) (v128.load offset=0 align=4 (local.get $row)))))
            (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $xv) (v128.load offset=16 align=4 (local.get $row)))))
            (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $xv) (v128.load offset=32 align=4 (local.get $row)))))
            (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $xv) (v128.load offset=48 align=4 (local.get $row)))))
            (local.set $row (i32.add (local.get $row) (local.get $stride)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $rows)))
        (local.set $row (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store offset=0 align=4 (local.get $row) (local.get $s0))
        (v128.store offset=16 align=4 (local.get $row) (local.get $s1))
        (v128.store offset=32 align=4 (local.get $row) (local.get $s2))
        (v128.store offset=48 align=4 (local.get $row) (local.get $s3))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $cols))))

  ;; gemm_xn sets C[i*ldc + j] = Σ_p X(i, p)·b[p*ldb + j] for i < m, j < n
  ;; and p < k, where X(i, p) = a[i*sai + p*sap]: A itself (sai = lda,
  ;; sap = 1) or its transpose (sai = 1, sap = lda). n must be at least 16;
  ;; columns go 16 at a time and the last block is moved left to end at n,
  ;; recomputing a few columns with the same sums. Strides count float32
  ;; values; a, b and c are byte addresses.
  (func (export "gemm_xn") (param $m i32) (param $n i32) (param $k i32)
    (param $a i32) (param $sai i32) (param $sap i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
    (local $i i32) (local $j i32) (local $p i32) (local $xrow i32) (local $xp i32) (local $brow i32) (local $out i32)
    (local $xv v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $xrow (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $sai)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
            (if (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $n))
              (then (local.set $j (i32.sub (local.get $n) (i32.const 16)))))
            (local.set $s0 (v128.const i32x4 0 0 0 0))
            (local.set $s1 (v128.const i32x4 0 0 0 0))
            (local.set $s2 (v128.const i32x4 0 0 0 0))
            (local.set $s3 (v128.const i32x4 0 0 0 0))
            (local.set $xp (local.get $xrow))
            (local.set $brow (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (i32.const 0))
            (block $dots_done
              (loop $dots
                (br_if $dots_done (i32.ge_u (local.get $p) (local.get $k)))
                (local.set $xv (f32x4.splat (f32.load (local.get $xp))))
                (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $xv) (v128.load offset=0 align=4 (local.get $brow)))))
                (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $xv) (v128.load offset=16 align=4 (local.get $brow)))))
                (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $xv) (v128.load offset=32 align=4 (local.get $brow)))))
                (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $xv) (v128.load offset=48 align=4 (local.get $brow)))))
                (local.set $xp (i32.add (local.get $xp) (i32.shl (local.get $sap) (i32.const 2))))
                (local.set $brow (i32.add (local.get $brow) (i32.shl (local.get $ldb) (i32.const 2))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $dots)))
            (local.set $out (i32.add (local.get $c)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2))))
            (v128.store offset=0 align=4 (local.get $out) (local.get $s0))
            (v128.store offset=16 align=4 (local.get $out) (local.get $s1))
            (v128.store offset=32 align=4 (local.get $out) (local.get $s2))
            (v128.store offset=48 align=4 (local.get $out) (local.get $s3))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; gemm_nt sets C[i*ldc + j] = Σ_p a[i*lda + p]·b[j*ldb + p] for i < m,
  ;; j < n and p < k: each element is a dot product, four lanes at a time
  ;; and the last k mod 4 terms one by one.
  (func (export "gemm_nt") (param $m i32) (param $n i32) (param $k i32)
    (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
    (local $i i32) (local $j i32) (local $p i32) (local $arow i32) (local $brow i32) (local $k4 i32)
    (local $s v128) (local $t f32)
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $arow (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $lda)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $brow (i32.add (local.get $b) (i32.shl (i32.mul (local.get $j) (local.get $ldb)) (i32.const 2))))
            (local.set $s (v128.const i32x4 0 0 0 0))
            (local.set $p (i32.const 0))
            (block $vec_done
              (loop $vec
                (br_if $vec_done (i32.ge_u (local.get $p) (local.get $k4)))
                (local.set $s (f32x4.add (local.get $s)
                  (f32x4.mul
                    (v128.load align=4 (i32.add (local.get $arow) (i32.shl (local.get $p) (i32.const 2))))
                    (v128.load align=4 (i32.add (local.get $brow) (i32.shl (local.get $p) (i32.const 2)))))))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (br $vec)))
            (local.set $t (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
              (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s)))))
            (block $tail_done
              (loop $tail
                (br_if $tail_done (i32.ge_u (local.get $p) (local.get $k)))
                (local.set $t (f32.add (local.get $t)
                  (f32.mul
                    (f32.load (i32.add (local.get $arow) (i32.shl (local.get $p) (i32.const 2))))
                    (f32.load (i32.add (local.get $brow) (i32.shl (local.get $p) (i32.const 2)))))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $tail)))
            (f32.store (i32.add (local.get $c)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2)))
              (local.get $t))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
