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
)
