;; The inner loops of a large JPEG's working copy (plane-reducer.ts), in WebAssembly SIMD:
;; the Catmull–Rom reduction of an 8-bit plane, rows first then across, and the JFIF colour
;; conversion of the reduced planes. They do what resample.ts's reducePlane and rgbaFromYCbCr do in
;; JavaScript, four or eight pixels at a time, in 32-bit floats (the JavaScript adds in 64 bits, so
;; a pixel may round one grey level the other way).
;; Assembled at build time by the `wasm-text` plugin (scripts/vite/wasm-text.ts).
(module
  (import "env" "memory" (memory 1))

  ;; Down: out[x] = w0·a[x] + w1·b[x] + w2·c[x] + w3·d[x] for x < n, rounded up to a multiple of 8,
  ;; with a, b, c, d four rows of bytes `stride` apart starting at `src` and out 32-bit floats.
  ;; Reads and writes up to 7 samples past n: the caller leaves room.
  (func (export "down4")
    (param $src i32) (param $stride i32) (param $n i32)
    (param $w0 f32) (param $w1 f32) (param $w2 f32) (param $w3 f32) (param $dst i32)
    (local $x i32) (local $p i32) (local $q i32)
    (local $k0 v128) (local $k1 v128) (local $k2 v128) (local $k3 v128)
    (local $t v128) (local $lo v128) (local $hi v128)
    (local.set $k0 (f32x4.splat (local.get $w0)))
    (local.set $k1 (f32x4.splat (local.get $w1)))
    (local.set $k2 (f32x4.splat (local.get $w2)))
    (local.set $k3 (f32x4.splat (local.get $w3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $x) (local.get $n)))
        (local.set $p (i32.add (local.get $src) (local.get $x)))
        ;; Row a: eight bytes widened to two vectors of four floats.
        (local.set $t (v128.load8x8_u (local.get $p)))
        (local.set $lo (f32x4.mul (local.get $k0)
          (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $t)))))
        (local.set $hi (f32x4.mul (local.get $k0)
          (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $t)))))
        ;; Row b.
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $t (v128.load8x8_u (local.get $p)))
        (local.set $lo (f32x4.add (local.get $lo) (f32x4.mul (local.get $k1)
          (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $t))))))
        (local.set $hi (f32x4.add (local.get $hi) (f32x4.mul (local.get $k1)
          (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $t))))))
        ;; Row c.
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $t (v128.load8x8_u (local.get $p)))
        (local.set $lo (f32x4.add (local.get $lo) (f32x4.mul (local.get $k2)
          (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $t))))))
        (local.set $hi (f32x4.add (local.get $hi) (f32x4.mul (local.get $k2)
          (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $t))))))
        ;; Row d.
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $t (v128.load8x8_u (local.get $p)))
        (local.set $lo (f32x4.add (local.get $lo) (f32x4.mul (local.get $k3)
          (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $t))))))
        (local.set $hi (f32x4.add (local.get $hi) (f32x4.mul (local.get $k3)
          (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $t))))))
        (local.set $q (i32.add (local.get $dst) (i32.shl (local.get $x) (i32.const 2))))
        (v128.store (local.get $q) (local.get $lo))
        (v128.store offset=16 (local.get $q) (local.get $hi))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $next))))

  ;; Across: out[j] = Σ weights[4j + k] · row[first[j] + k] over k < 4, for j < n; row and out are
  ;; 32-bit floats, first 32-bit integers, weights four floats per output.
  (func (export "across4")
    (param $row i32) (param $first i32) (param $weights i32) (param $n i32) (param $dst i32)
    (local $j i32) (local $p v128)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $j) (local.get $n)))
        (local.set $p (f32x4.mul
          (v128.load (i32.add (local.get $row)
            (i32.shl (i32.load (i32.add (local.get $first) (i32.shl (local.get $j) (i32.const 2))))
              (i32.const 2))))
          (v128.load (i32.add (local.get $weights) (i32.shl (local.get $j) (i32.const 4))))))
        (f32.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2)))
          (f32.add
            (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $p)) (f32x4.extract_lane 1 (local.get $p)))
              (f32x4.extract_lane 2 (local.get $p)))
            (f32x4.extract_lane 3 (local.get $p))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next))))

  ;; JFIF (full-range BT.601) Y′CbCr → RGBA for n pixels (rounded up to a multiple of 4): y, cb and
  ;; cr are 32-bit float planes, out one 32-bit word per pixel (R, G, B, 255 in memory order).
  ;; Each channel is rounded half up and clamped to 0–255, as rgbaFromYCbCr does.
  (func (export "rgba")
    (param $y i32) (param $cb i32) (param $cr i32) (param $n i32) (param $dst i32)
    (local $o i32) (local $end i32)
    (local $l v128) (local $u v128) (local $v v128)
    (local $half v128) (local $bias v128) (local $top v128) (local $alpha v128)
    (local.set $half (f32x4.splat (f32.const 0.5)))
    (local.set $bias (f32x4.splat (f32.const 128)))
    (local.set $top (i32x4.splat (i32.const 255)))
    (local.set $alpha (i32x4.splat (i32.const 0xff000000)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $o) (local.get $end)))
        (local.set $l (v128.load (i32.add (local.get $y) (local.get $o))))
        (local.set $u (f32x4.sub (v128.load (i32.add (local.get $cb) (local.get $o))) (local.get $bias)))
        (local.set $v (f32x4.sub (v128.load (i32.add (local.get $cr) (local.get $o))) (local.get $bias)))
        (v128.store (i32.add (local.get $dst) (local.get $o))
          (v128.or
            (v128.or
              ;; R = l + 1.402 v
              (i32x4.min_u (local.get $top) (i32x4.trunc_sat_f32x4_u (f32x4.add (local.get $half)
                (f32x4.add (local.get $l) (f32x4.mul (f32x4.splat (f32.const 1.402)) (local.get $v))))))
              ;; G = l − 0.344136 u − 0.714136 v
              (i32x4.shl
                (i32x4.min_u (local.get $top) (i32x4.trunc_sat_f32x4_u (f32x4.add (local.get $half)
                  (f32x4.sub
                    (f32x4.sub (local.get $l) (f32x4.mul (f32x4.splat (f32.const 0.344136)) (local.get $u)))
                    (f32x4.mul (f32x4.splat (f32.const 0.714136)) (local.get $v))))))
                (i32.const 8)))
            (v128.or
              ;; B = l + 1.772 u
              (i32x4.shl
                (i32x4.min_u (local.get $top) (i32x4.trunc_sat_f32x4_u (f32x4.add (local.get $half)
                  (f32x4.add (local.get $l) (f32x4.mul (f32x4.splat (f32.const 1.772)) (local.get $u))))))
                (i32.const 16))
              (local.get $alpha))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next))))
)
