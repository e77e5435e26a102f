//! The wasm's memory allocator, a few hundred bytes instead of dlmalloc's
//! seven kilobytes. Every block is a power of two from 8 B up, and each size
//! has its own free list: a freed block waits there for the next request of
//! its size. Blocks under 64 KiB are carved front to back from a page kept
//! per size; larger ones are whole runs of pages from `memory.grow`. Wasm
//! memory never shrinks, but freed blocks are always reused, so repeating
//! any work (intercepting URL after URL for hours) needs no new memory once
//! it has run once. The price is up to twice a request's size in a block.
//!
//! A block of `2^k` bytes sits at a multiple of `min(2^k, 64 KiB)` (pages
//! are 64 KiB-aligned), so any alignment up to that holds; `dealloc` is
//! given the layout, hence the size, so blocks carry no header.

use std::alloc::{GlobalAlloc, Layout};
use std::arch::wasm32;
use std::cell::UnsafeCell;
use std::ptr;

const PAGE: usize = 65_536;
const SMALLEST_SHIFT: u32 = 3;
/// Sizes 2^3 to 2^31 (all a wasm32 `Layout` can ask for).
const SIZES: usize = (usize::BITS - SMALLEST_SHIFT) as usize;
/// Sizes carved from a page: 2^3 to 2^15.
const CARVED: usize = 13;

/// The allocator `lib.rs` installs for the wasm.
pub struct Heap(UnsafeCell<Lists>);

// SAFETY: wasm32-unknown-unknown without the `atomics` feature (lib.rs only
// installs it then) runs one thread, so no two calls ever overlap.
unsafe impl Sync for Heap {}

struct Lists {
    /// Per size, the first free block (its first word holds the next); 0 for none.
    free: [usize; SIZES],
    /// Per carved size, what its latest page has not handed out: `[next, end)`.
    fresh: [(usize, usize); CARVED],
}

/// The size list a layout is served from, and its block size.
fn size_of(layout: Layout) -> (usize, usize) {
    let size = layout.size().max(layout.align()).max(1 << SMALLEST_SHIFT);
    let shift = usize::BITS - (size - 1).leading_zeros();
    ((shift - SMALLEST_SHIFT) as usize, 1 << shift)
}

impl Heap {
    /// An empty heap: every page comes from `memory.grow` when first needed.
    pub const fn new() -> Heap {
        Heap(UnsafeCell::new(Lists {
            free: [0; SIZES],
            fresh: [(0, 0); CARVED],
        }))
    }
}

unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: one thread, and no call re-enters the allocator.
        let lists = unsafe { &mut *self.0.get() };
        let (index, size) = size_of(layout);
        // Pages are the coarsest alignment memory.grow gives.
        let Some(free) = lists.free.get_mut(index).filter(|_| layout.align() <= PAGE) else {
            return ptr::null_mut();
        };
        if *free != 0 {
            let taken = *free;
            // SAFETY: a free block's first word is the next free block.
            *free = unsafe { *(taken as *const usize) };
            return taken as *mut u8;
        }
        let grow = |pages: usize| match wasm32::memory_grow(0, pages) {
            usize::MAX => 0,
            first => first * PAGE,
        };
        let Some(fresh) = lists.fresh.get_mut(index) else {
            // A run of whole pages.
            return grow(size / PAGE) as *mut u8;
        };
        if fresh.0 == fresh.1 {
            let page = grow(1);
            if page == 0 {
                return ptr::null_mut();
            }
            *fresh = (page, page + PAGE);
        }
        let taken = fresh.0;
        fresh.0 += size;
        taken as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: one thread, and no call re-enters the allocator.
        let lists = unsafe { &mut *self.0.get() };
        if let Some(free) = lists.free.get_mut(size_of(layout).0) {
            // SAFETY: the block is ours again and at least 8 bytes long.
            unsafe { *(ptr as *mut usize) = *free };
            *free = ptr as usize;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` makes a valid layout with
        // the old alignment.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if size_of(new_layout) == size_of(layout) {
            return ptr;
        }
        // SAFETY: as for `alloc` and `dealloc`; the two blocks are distinct.
        unsafe {
            let moved = self.alloc(new_layout);
            if !moved.is_null() {
                ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            moved
        }
    }
}
