//! Which hosts belong to the same party: the registrable domain ("eTLD+1")
//! of a host, from a compact public-suffix rule.
//!
//! The rule: the last two labels (`www.shop.example` → `shop.example`), or
//! the last three when the last two are a known multi-label public suffix
//! (`www.shop.co.uk` → `shop.co.uk`, `user.github.io`). IP addresses and
//! single-label hosts (`localhost`) are their own registrable domain.
//!
//! Its limit: only the suffixes below are known, not the whole Public Suffix
//! List (about 10,000 rules). Under an unlisted multi-label suffix (say
//! `city.kawasaki.jp`) two different sites count as one party, so a request
//! between them is not reported as third-party; a three-label suffix is
//! never recognised.

/// Second-level public suffixes of the commonest country domains, and
/// hosting suffixes under which every subdomain is another site.
const MULTI_LABEL_SUFFIXES: &[&str] = &[
    // United Kingdom, Australia, New Zealand, South Africa, Ireland
    "co.uk",
    "org.uk",
    "me.uk",
    "ltd.uk",
    "plc.uk",
    "net.uk",
    "sch.uk",
    "ac.uk",
    "gov.uk",
    "nhs.uk",
    "com.au",
    "net.au",
    "org.au",
    "edu.au",
    "gov.au",
    "asn.au",
    "id.au",
    "co.nz",
    "net.nz",
    "org.nz",
    "govt.nz",
    "ac.nz",
    "school.nz",
    "geek.nz",
    "co.za",
    "org.za",
    "gov.za",
    "net.za",
    "web.za",
    "gov.ie",
    // Asia
    "co.jp",
    "ne.jp",
    "or.jp",
    "ac.jp",
    "go.jp",
    "ed.jp",
    "gr.jp",
    "lg.jp",
    "co.kr",
    "or.kr",
    "ne.kr",
    "go.kr",
    "ac.kr",
    "com.cn",
    "net.cn",
    "org.cn",
    "gov.cn",
    "edu.cn",
    "com.hk",
    "org.hk",
    "net.hk",
    "com.tw",
    "org.tw",
    "net.tw",
    "com.sg",
    "org.sg",
    "net.sg",
    "co.in",
    "net.in",
    "org.in",
    "firm.in",
    "gen.in",
    "ind.in",
    "co.id",
    "or.id",
    "web.id",
    "com.my",
    "com.ph",
    "co.th",
    "in.th",
    "com.vn",
    "com.pk",
    "co.il",
    "org.il",
    "ac.il",
    "com.tr",
    "net.tr",
    "org.tr",
    "gen.tr",
    "com.sa",
    "com.eg",
    // Americas
    "com.br",
    "net.br",
    "org.br",
    "gov.br",
    "edu.br",
    "com.mx",
    "org.mx",
    "gob.mx",
    "com.ar",
    "com.co",
    "com.pe",
    "com.ve",
    "com.uy",
    "com.ec",
    "gov.co",
    "qc.ca",
    // Europe
    "com.ua",
    "org.ua",
    "in.ua",
    "com.pl",
    "net.pl",
    "org.pl",
    "com.es",
    "org.es",
    "com.gr",
    "com.pt",
    "com.ru",
    "org.ru",
    "net.ru",
    "com.cy",
    "co.at",
    "or.at",
    "com.mt",
    // Hosting: each subdomain belongs to someone else
    "github.io",
    "gitlab.io",
    "herokuapp.com",
    "appspot.com",
    "blogspot.com",
    "cloudfront.net",
    "azurewebsites.net",
    "netlify.app",
    "vercel.app",
    "pages.dev",
    "workers.dev",
    "web.app",
    "firebaseapp.com",
    "myshopify.com",
    "wordpress.com",
    "s3.amazonaws.com",
];

/// The registrable domain of `host` (lower case, without a trailing dot).
pub fn registrable_domain(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<std::net::IpAddr>().is_ok() {
        return bare.to_string();
    }
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let keep = match labels.len() {
        0..=2 => return labels.join("."),
        n => {
            let last_two = labels.get(n - 2..).map(|l| l.join(".")).unwrap_or_default();
            if MULTI_LABEL_SUFFIXES.contains(&last_two.as_str()) {
                3
            } else {
                2
            }
        }
    };
    labels
        .get(labels.len() - keep..)
        .map(|l| l.join("."))
        .unwrap_or(host)
}

/// Whether `host` is another party than `page_host`.
pub fn is_third_party(host: &str, page_host: &str) -> bool {
    registrable_domain(host) != registrable_domain(page_host)
}
