//! The wasm's allocator (src/heap.rs): every block keeps what was written to
//! it until freed, is aligned as asked, survives reallocation, and freed
//! memory is reused, so repeated work does not grow the wasm's memory.
#![cfg(target_arch = "wasm32")]

// Linking the crate installs its allocator for this test binary too.
extern crate cookiegate;

use std::alloc::{alloc, dealloc, realloc, Layout};
use std::arch::wasm32;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Sizes across every class boundary and into page runs.
const SIZES: [usize; 17] = [
    1, 7, 8, 9, 24, 100, 255, 256, 1000, 4096, 4097, 20_000, 32_768, 32_769, 65_536, 65_537,
    200_000,
];

fn fill(p: *mut u8, len: usize, seed: usize) {
    for i in 0..len {
        // SAFETY: `p` is a live block of at least `len` bytes.
        unsafe { *p.add(i) = (i.wrapping_mul(31) ^ seed) as u8 };
    }
}

fn holds(p: *const u8, len: usize, seed: usize) -> bool {
    // SAFETY: `p` is a live block of at least `len` bytes.
    (0..len).all(|i| unsafe { *p.add(i) } == (i.wrapping_mul(31) ^ seed) as u8)
}

/// Allocates every size at several alignments, interleaved, checks each
/// block's alignment and contents, grows and shrinks some, frees them all.
fn one_cycle(round: usize) {
    let mut live: Vec<(*mut u8, Layout, usize)> = Vec::new();
    for (n, &size) in SIZES.iter().cycle().take(SIZES.len() * 3).enumerate() {
        let align = [1, 8, 16, 64, 4096][n % 5];
        let layout = Layout::from_size_align(size, align).unwrap();
        // SAFETY: a non-zero size.
        let p = unsafe { alloc(layout) };
        assert!(!p.is_null(), "{size} bytes aligned {align}");
        assert_eq!(p as usize % align, 0, "{size} bytes aligned {align}");
        fill(p, size, n + round);
        live.push((p, layout, n + round));
        // Free every third block early, so later ones reuse the space.
        if n % 3 == 2 {
            let (p, layout, seed) = live.remove(live.len() / 2);
            assert!(
                holds(p, layout.size(), seed),
                "block of {} overwritten",
                layout.size()
            );
            // SAFETY: allocated above with this layout.
            unsafe { dealloc(p, layout) };
        }
    }
    for (i, entry) in live.iter_mut().enumerate() {
        let (p, layout, seed) = *entry;
        assert!(
            holds(p, layout.size(), seed),
            "block of {} overwritten",
            layout.size()
        );
        let new_size = if i % 2 == 0 {
            layout.size() * 2 + 5
        } else {
            layout.size() / 2 + 1
        };
        // SAFETY: allocated above with this layout; a non-zero new size.
        let q = unsafe { realloc(p, layout, new_size) };
        assert!(!q.is_null());
        assert_eq!(q as usize % layout.align(), 0);
        assert!(
            holds(q, layout.size().min(new_size), seed),
            "realloc lost contents"
        );
        *entry = (
            q,
            Layout::from_size_align(new_size, layout.align()).unwrap(),
            seed,
        );
        fill(q, new_size, seed);
    }
    for (p, layout, seed) in live {
        assert!(
            holds(p, layout.size(), seed),
            "block of {} overwritten",
            layout.size()
        );
        // SAFETY: allocated (or reallocated) above with this layout.
        unsafe { dealloc(p, layout) };
    }
}

#[wasm_bindgen_test]
fn blocks_keep_their_contents_and_alignment() {
    one_cycle(0);
    // Strings and vectors the ordinary way, interleaved.
    let mut strings: Vec<String> = (0..2000).map(|i| "x".repeat(i % 300)).collect();
    strings.retain(|s| s.len() % 2 == 0);
    for (i, s) in strings.iter().enumerate() {
        assert_eq!(s.len(), (2 * i) % 300);
        assert!(s.bytes().all(|b| b == b'x'));
    }
}

#[wasm_bindgen_test]
fn repeated_work_reuses_freed_memory() {
    // The first cycles take what pages they need; the same work after that
    // must fit in them.
    for round in 0..2 {
        one_cycle(round);
    }
    let pages = wasm32::memory_size(0);
    for round in 2..12 {
        one_cycle(round);
    }
    assert_eq!(
        wasm32::memory_size(0),
        pages,
        "memory grew over repeated cycles"
    );
}

#[wasm_bindgen_test]
fn an_alignment_past_a_page_is_refused_not_a_crash() {
    let layout = Layout::from_size_align(100_000, 1 << 17).unwrap();
    // SAFETY: a non-zero size; a null result is checked, never used.
    assert!(unsafe { alloc(layout) }.is_null());
}
