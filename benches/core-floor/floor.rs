//! What the pure core weighs as wasm on its own: nearly all the catalogue,
//! consent, json and text functions the browser shell calls, with no web-sys, no
//! wasm-bindgen and no shell. `benches/core-floor.mjs` builds it with
//! `WASM_CFG=cookiegate_core_only` (which leaves `web` out of the crate) and
//! the release profile and wasm-opt flags of `build.sh`, and prints its
//! size beside the shipped files. Inputs come from the host through one
//! buffer and every result goes back out, so nothing is optimised away.
//! `cargo test --target wasm32-unknown-unknown` compiles it too (against the
//! whole crate), so a changed core function breaks CI, not only the bench.
#![cfg(target_arch = "wasm32")]

use cookiegate::catalogue::{self, StorageKind};
use cookiegate::consent::{self, Choice, ConsentRecord, Held, PageTrust, Ran, Target};
use std::hint::black_box;

#[link(wasm_import_module = "a")]
extern "C" {
    #[link_name = "out"]
    fn out_(p: *const u8, n: usize);
    #[link_name = "num"]
    fn num_(n: i64);
}

fn say(s: &str) {
    unsafe { out_(s.as_ptr(), s.len()) }
}

fn num(n: i64) {
    unsafe { num_(n) }
}

static mut BUF: [u8; 1 << 16] = [0; 1 << 16];

/// Where the host writes the catalogue, the stored record and a URL.
#[no_mangle]
pub extern "C" fn buf() -> *mut u8 {
    core::ptr::addr_of_mut!(BUF) as *mut u8
}

fn input(off: usize, len: usize) -> &'static str {
    let b: &'static [u8] = unsafe { &*core::ptr::addr_of!(BUF) };
    core::str::from_utf8(b.get(off..off.saturating_add(len)).unwrap_or(&[])).unwrap_or("")
}

/// One pass through every decision the shell asks the core for.
#[no_mangle]
pub extern "C" fn run(cl: usize, sl: usize, ul: usize, now: i64, gpc: bool, op: u32) {
    let text = input(0, cl);
    let stored = input(cl, sl);
    let url = input(cl + sl, ul);
    if let Some(p) = catalogue::too_large(cl) {
        say(&p.describe());
        return;
    }
    let cat = match catalogue::load_strict_text(text) {
        Ok(c) => c,
        Err(p) => {
            say(&p.describe());
            return;
        }
    };
    let start = consent::start(&cat, Some(stored).filter(|s| !s.is_empty()), now, gpc);
    black_box(&start);
    let list = [(url.to_string(), true)];
    let choice = match op {
        0 => Choice::accept_all(&cat, gpc),
        1 => Choice::reject_all(&cat),
        2 => Choice::only_categories(&cat, &[url]),
        _ => {
            let w = consent::as_wishes(&list);
            Choice::build(&cat, &w, &w)
        }
    };
    let ran = [
        Ran::Marked {
            category: url.to_string(),
            service: None,
        },
        Ran::Service(op as usize),
    ];
    let before = start.record.as_ref().map(|r| &r.choice);
    black_box(consent::plan(&cat, before, Some(&choice), &ran));
    black_box(consent::follow(
        &cat,
        start.record.as_ref(),
        Some(stored),
        now,
        gpc,
        &ran,
    ));
    num(consent::must_reload(&cat, Some(&choice), &ran) as i64);
    let rec = ConsentRecord {
        id: consent::hex(url.as_bytes()),
        timestamp_ms: now,
        revision: cat.revision,
        method: consent::Method::AcceptAll,
        gpc,
        choice: choice.clone(),
    };
    say(&rec.to_stored_json(&cat));
    say(&rec.to_json());
    say(rec.method.as_str());
    num(rec.expires_ms(&cat));
    if let Err(e) = ConsentRecord::restore(stored, &cat, now, gpc) {
        say(&e.describe());
    }
    if let Some(before) = before {
        say(&consent::changed(before, &choice).to_json());
    }
    black_box(consent::consent_mode(&cat, Some(&choice)));
    let target = consent::UrlTarget::parse(url);
    black_box(consent::verdict(&cat, Some(&choice), target.as_ref(), url));
    if let Some(t) = target.as_ref() {
        black_box(consent::owners(&cat, t));
    }
    let names = consent::cookie_names(stored);
    let gone = consent::cookies_to_clear(&cat, &choice, &names);
    for line in consent::deletion_lines(&gone, url, url, gpc) {
        say(&line);
    }
    black_box(consent::storage_to_clear(
        &cat,
        &choice,
        StorageKind::Local,
        &names,
    ));
    let targets = [Target {
        protocol: url,
        hostname: url,
        origin: url,
    }];
    let held = Held {
        category: url,
        service: Some(stored),
        nonce: url,
        inline_code: gpc,
        script_type: Some(stored),
        targets: &targets,
    };
    let page = PageTrust {
        origin: url,
        nonce: stored,
    };
    let admitted = consent::admit(&cat, Some(&choice), page, &held, gpc);
    num(consent::fetch_early(&admitted, gpc, Some(url)) as i64);
    black_box(&admitted);
    black_box(consent::srcset(url));
    num(consent::may_load(url, url, stored) as i64);
    black_box(consent::link_href(url));
    black_box(consent::category_switch(op as usize, cl));
    for s in &cat.services {
        say(&s.id);
    }
}
