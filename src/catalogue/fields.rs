//! The fields of every object in a catalogue, defined once: the reader uses
//! these tables for types, required fields and limits, `cookiegate check`
//! for its suggestions, `cookiegate bundle` to find the texts of each
//! language, and the JSON Schema is generated from them, so none of them can
//! drift. A new field is one `Field::new` line here, one field of the model
//! and one line in `read.rs` that fills it.

#[cfg(not(target_arch = "wasm32"))]
use super::TextKey;

/// Largest catalogue read, in bytes (5 MiB): a bigger file is refused before
/// it is parsed, so a runaway or hostile catalogue cannot hold the page's main
/// thread for seconds or take hundreds of megabytes. The default catalogue
/// (13 services in five languages) is under 80 KB.
pub const MAX_CATALOGUE_BYTES: usize = 5 * 1024 * 1024;
/// Longest string accepted anywhere, in characters: keeps a hostile or
/// broken catalogue from bloating the banner.
pub const MAX_STRING_CHARS: usize = 10_000;
/// Most services in one catalogue.
pub const MAX_SERVICES: usize = 2_000;
/// Most categories in one catalogue.
pub const MAX_CATEGORIES: usize = 100;
/// Most declared languages.
pub const MAX_LANGUAGES: usize = 100;
/// Most hosts of one service.
pub const MAX_HOSTS: usize = 100;
/// Most scripts of one service.
pub const MAX_SCRIPTS: usize = 20;
/// Most URL prefixes of one service.
pub const MAX_URLS: usize = 100;
/// Most cookies and storage keys in the whole catalogue, together.
pub const MAX_ENTRIES: usize = 20_000;
/// Longest cookie or storage-key glob, in characters.
pub const MAX_GLOB_CHARS: usize = 200;
/// Longest lifetime a catalogue may declare, in minutes (10 years of 365 days).
pub const MAX_LIFETIME_MINUTES: u64 = 10 * 525_600;
/// Most problems reported for one catalogue; the rest are counted, so a
/// broken catalogue cannot flood the console or the memory.
pub const MAX_PROBLEMS: usize = 1_000;
/// Longest a consent choice may be kept, in days (13 months).
pub const MAX_CONSENT_DAYS: u64 = 395;
/// How long a consent choice is kept when the catalogue does not say.
pub const DEFAULT_CONSENT_DAYS: u32 = 182;

/// What a field holds, and so how it is checked and described in the schema.
#[derive(Debug, PartialEq, Eq)]
pub enum Ty {
    /// A non-empty string of at most [`MAX_STRING_CHARS`] characters.
    Text,
    /// An id: `[a-z][a-z0-9-]*`.
    Slug,
    /// An absolute `https:` URL.
    HttpsUrl,
    /// A bare, lower-case host name.
    Host,
    /// A scheme-less URL prefix: a host, then a path (`host/path?query`).
    UrlPrefix,
    /// A cookie domain: a host name, optionally with a leading dot.
    CookieDomain,
    /// A cookie path: starts with `/`.
    CookiePath,
    /// A language tag such as `en` or `pt-BR`.
    LanguageTag,
    /// `session` or `<n> <unit>`.
    Lifetime,
    /// A Subresource Integrity hash.
    Integrity,
    /// A cookie or storage-key name pattern where `*` stands for any run of
    /// characters.
    Glob,
    /// A whole number in a range.
    Integer {
        /// Smallest allowed.
        min: u64,
        /// Largest allowed.
        max: u64,
        /// Why the range is what it is, for the message.
        #[cfg(not(target_arch = "wasm32"))]
        why: &'static str,
        /// The value when absent.
        default: Option<u64>,
    },
    /// `true` or `false`.
    Bool,
    /// One of these strings.
    Choice(&'static [&'static str]),
    /// A Google Consent Mode type name.
    Signal,
    /// An object: declared language → non-empty text.
    Localized,
    /// A text shown to visitors that may be the same in every language: a
    /// string, or an object language → text like [`Ty::Localized`].
    Translatable,
    /// An object: declared language → the UI texts of that language.
    TextsByLanguage,
    /// A list.
    List {
        /// What each item is.
        of: &'static Ty,
        /// Fewest items.
        min: usize,
        /// Most items.
        max: usize,
        /// Whether an item may appear twice.
        unique: bool,
    },
    /// An object with known fields.
    Object(&'static Shape),
}

impl Ty {
    /// The JSON type this field must have, for "expected …, found …".
    pub fn expected(&self) -> &'static str {
        match self {
            Ty::Integer { .. } => "a whole number",
            Ty::Bool => "true or false",
            Ty::List { .. } => "a list",
            Ty::Localized => "an object of texts by language",
            Ty::Translatable => "a string or an object of texts by language",
            Ty::TextsByLanguage | Ty::Object(_) => "an object",
            Ty::Text
            | Ty::Slug
            | Ty::HttpsUrl
            | Ty::Host
            | Ty::UrlPrefix
            | Ty::CookieDomain
            | Ty::CookiePath
            | Ty::LanguageTag
            | Ty::Lifetime
            | Ty::Integrity
            | Ty::Glob
            | Ty::Choice(_)
            | Ty::Signal => "a string",
        }
    }
}

/// Whether a field must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Always.
    Required,
    /// Never (a default applies or it is simply absent).
    Optional,
    /// Exactly one of the shape's `one_of` fields must be present.
    OneOf,
}

/// One field of an object.
#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    /// The key as written in the catalogue.
    pub name: &'static str,
    /// What it holds.
    pub ty: Ty,
    /// Whether it must be present.
    pub need: Need,
    /// What it means, for editors (schema descriptions).
    #[cfg(not(target_arch = "wasm32"))]
    pub about: &'static str,
}

impl Field {
    /// A field; `about` is kept only in the native tools (the browser never
    /// shows it, so the wasm does not carry it).
    pub const fn new(name: &'static str, ty: Ty, need: Need, about: &'static str) -> Field {
        #[cfg(target_arch = "wasm32")]
        let _ = about;
        Field {
            name,
            ty,
            need,
            #[cfg(not(target_arch = "wasm32"))]
            about,
        }
    }
}

/// The fields of one kind of object.
#[derive(Debug, PartialEq, Eq)]
pub struct Shape {
    /// Name in the schema's `$defs`.
    #[cfg(not(target_arch = "wasm32"))]
    pub def: &'static str,
    /// What one of these is called in messages ("a service").
    #[cfg(not(target_arch = "wasm32"))]
    pub noun: &'static str,
    /// What it is, for editors.
    #[cfg(not(target_arch = "wasm32"))]
    pub about: &'static str,
    /// Its fields in documentation order.
    pub fields: &'static [Field],
}

impl Shape {
    /// A shape; its names and description are kept only in the native tools.
    pub const fn new(
        def: &'static str,
        noun: &'static str,
        about: &'static str,
        fields: &'static [Field],
    ) -> Shape {
        #[cfg(target_arch = "wasm32")]
        let _ = (def, noun, about);
        Shape {
            #[cfg(not(target_arch = "wasm32"))]
            def,
            #[cfg(not(target_arch = "wasm32"))]
            noun,
            #[cfg(not(target_arch = "wasm32"))]
            about,
            fields,
        }
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The names of the fields of which exactly one must be present.
    pub fn one_of(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields
            .iter()
            .filter(|f| f.need == Need::OneOf)
            .map(|f| f.name)
    }
}

/// Party of a cookie, as written.
pub const PARTIES: &[&str] = &["first", "third"];
/// Storage kinds, as written.
pub const STORAGE_KINDS: &[&str] = &["local", "session"];

const ABOUT_GLOB: &str = "A pattern over the whole name where * stands for any run of characters (\"_gac_*_*\"), at most 200 characters; every other character stands for itself. It has at least one * and at least one other character.";
const ABOUT_LIFETIME: &str = "\"session\", or a number and a unit: \"30 minutes\", \"1 day\", \"13 months\", \"2 years\" (singular unit with 1, plural otherwise). At most 10 years.";
const ABOUT_PURPOSE_OVERRIDE: &str =
    "Shown instead of the service's purpose when given, one text per declared language.";

/// A script cookiegate injects on consent.
pub static SCRIPT: Shape = Shape::new(
    "script",
    "a script",
    "A script cookiegate injects itself, once, when the service is accepted.",
    &[
        Field::new(
            "src",
            Ty::HttpsUrl,
            Need::Required,
            "The script's https: URL; its host must be one of the service's hosts.",
        ),
        Field::new(
            "integrity",
            Ty::Integrity,
            Need::Optional,
            "Subresource Integrity hash of a version-pinned script: sha256-, sha384- or sha512- and the base64 digest.",
        ),
        Field::new(
            "async",
            Ty::Bool,
            Need::Optional,
            "Run without waiting for the scripts injected before it (default false: injected scripts run in order).",
        ),
    ],
);

/// A cookie a service sets.
pub static COOKIE: Shape = Shape::new(
    "cookie",
    "a cookie",
    "A cookie the service sets, named by exactly one of name, prefix or glob.",
    &[
        Field::new(
            "name",
            Ty::Text,
            Need::OneOf,
            "The exact cookie name (\"_ga\").",
        ),
        Field::new(
            "prefix",
            Ty::Text,
            Need::OneOf,
            "Every cookie whose name starts with this (\"_ga_\" matches _ga_ABC123).",
        ),
        Field::new(
            "glob",
            Ty::Glob,
            Need::OneOf,
            ABOUT_GLOB,
        ),
        Field::new(
            "lifetime",
            Ty::Lifetime,
            Need::Required,
            ABOUT_LIFETIME,
        ),
        Field::new(
            "party",
            Ty::Choice(PARTIES),
            Need::Required,
            "\"first\": set on the shop's domain (cookiegate can delete it); \"third\": set on the provider's domain.",
        ),
        Field::new(
            "domain",
            Ty::CookieDomain,
            Need::Optional,
            "The domain it is set on, for third-party cookies (\".facebook.com\").",
        ),
        Field::new(
            "path",
            Ty::CookiePath,
            Need::Optional,
            "The cookie path (default \"/\").",
        ),
        Field::new(
            "purpose",
            Ty::Localized,
            Need::Optional,
            ABOUT_PURPOSE_OVERRIDE,
        ),
    ],
);

/// A `localStorage` / `sessionStorage` key a service writes.
pub static STORAGE_KEY: Shape = Shape::new(
    "storage_key",
    "a storage key",
    "A localStorage or sessionStorage key the service writes, named by exactly one of name, prefix or glob.",
    &[
        Field::new(
            "name",
            Ty::Text,
            Need::OneOf,
            "The exact key.",
        ),
        Field::new(
            "prefix",
            Ty::Text,
            Need::OneOf,
            "Every key starting with this.",
        ),
        Field::new(
            "glob",
            Ty::Glob,
            Need::OneOf,
            ABOUT_GLOB,
        ),
        Field::new(
            "kind",
            Ty::Choice(STORAGE_KINDS),
            Need::Required,
            "\"local\" for localStorage, \"session\" for sessionStorage.",
        ),
        Field::new(
            "lifetime",
            Ty::Lifetime,
            Need::Optional,
            ABOUT_LIFETIME,
        ),
        Field::new(
            "purpose",
            Ty::Localized,
            Need::Optional,
            ABOUT_PURPOSE_OVERRIDE,
        ),
    ],
);

/// A purpose visitors accept or refuse.
pub static CATEGORY: Shape = Shape::new(
    "category",
    "a category",
    "A purpose visitors accept or refuse.",
    &[
        Field::new(
            "id",
            Ty::Slug,
            Need::Required,
            "Referenced by services and by data-category in the page: lower-case letters, digits and hyphens, starting with a letter.",
        ),
        Field::new(
            "required",
            Ty::Bool,
            Need::Optional,
            "Always on and shown locked (default false). Only for what is strictly necessary to deliver what the visitor asked for.",
        ),
        Field::new(
            "title",
            Ty::Localized,
            Need::Required,
            "Name shown on the switch, one text per declared language.",
        ),
        Field::new(
            "description",
            Ty::Localized,
            Need::Required,
            "What the category is for, in plain words, one text per declared language.",
        ),
        Field::new(
            "consent_mode",
            Ty::List {
                of: &Ty::Signal,
                min: 0,
                max: 7,
                unique: true,
            },
            Need::Optional,
            "Google Consent Mode v2 types granted while this category is accepted.",
        ),
        Field::new(
            "gpc_opt_out",
            Ty::Bool,
            Need::Optional,
            "When the browser sends Global Privacy Control, keep this category off after \"Accept all\" (default false). Set it on advertising categories.",
        ),
    ],
);

/// Something that stores or sends data.
pub static SERVICE: Shape = Shape::new(
    "service",
    "a service",
    "A third-party or first-party thing that sets cookies, stores data or sends data.",
    &[
        Field::new(
            "id",
            Ty::Slug,
            Need::Required,
            "Referenced by data-service in the page: lower-case letters, digits and hyphens, starting with a letter.",
        ),
        Field::new(
            "category",
            Ty::Slug,
            Need::Required,
            "The id of the one category this service belongs to.",
        ),
        Field::new(
            "name",
            Ty::Translatable,
            Need::Required,
            "Display name (\"Google Analytics\"): one text for every language, or one per declared language ({\"en\": \"Shop session\", \"de\": \"Shop-Sitzung\"}).",
        ),
        Field::new(
            "provider",
            Ty::Translatable,
            Need::Required,
            "The company that receives the data (\"Google Ireland Limited\"): one text for every language, or one per declared language.",
        ),
        Field::new(
            "purpose",
            Ty::Localized,
            Need::Required,
            "What the service does with the data, one text per declared language.",
        ),
        Field::new(
            "policy_url",
            Ty::HttpsUrl,
            Need::Required,
            "The provider's privacy policy (https:).",
        ),
        Field::new(
            "hosts",
            Ty::List {
                of: &Ty::Host,
                min: 0,
                max: MAX_HOSTS,
                unique: true,
            },
            Need::Optional,
            "Every host the service talks to, as bare lower-case host names (\"www.google-analytics.com\"). A service with hosts sends data to a third party.",
        ),
        Field::new(
            "urls",
            Ty::List {
                of: &Ty::UrlPrefix,
                min: 0,
                max: MAX_URLS,
                unique: true,
            },
            Need::Optional,
            "URL prefixes without the scheme (\"www.googletagmanager.com/gtag/js?id=AW-\") that tell this service apart on a host it shares with others. A URL belongs to the service whose prefix matches it longest; a URL on a shared host that no prefix matches belongs to every service listing the host, and loads only once all of them are accepted. Each prefix's host must be one of this service's hosts.",
        ),
        Field::new(
            "scripts",
            Ty::List {
                of: &Ty::Object(&SCRIPT),
                min: 0,
                max: MAX_SCRIPTS,
                unique: false,
            },
            Need::Optional,
            "Scripts cookiegate injects itself, once, when the service is accepted.",
        ),
        Field::new(
            "consent_mode",
            Ty::List {
                of: &Ty::Signal,
                min: 0,
                max: 7,
                unique: true,
            },
            Need::Optional,
            "The Consent Mode types the service needs; each must be granted by its category.",
        ),
        Field::new(
            "third_country",
            Ty::Translatable,
            Need::Optional,
            "Where data goes outside the EEA and on what basis (\"United States (EU-US Data Privacy Framework)\"): one text for every language, or one per declared language.",
        ),
        Field::new(
            "justification",
            Ty::Text,
            Need::Optional,
            "Why a service in a required category must send data to a third party. Required for such services (in a required category and with hosts).",
        ),
        Field::new(
            "cookies",
            Ty::List {
                of: &Ty::Object(&COOKIE),
                min: 0,
                max: MAX_ENTRIES,
                unique: false,
            },
            Need::Optional,
            "The cookies the service sets.",
        ),
        Field::new(
            "storage",
            Ty::List {
                of: &Ty::Object(&STORAGE_KEY),
                min: 0,
                max: MAX_ENTRIES,
                unique: false,
            },
            Need::Optional,
            "The localStorage / sessionStorage keys the service writes.",
        ),
    ],
);

/// The whole catalogue.
pub static CATALOGUE: Shape = Shape::new(
    "catalogue",
    "the catalogue",
    "A cookiegate catalogue: every cookie, storage key and third-party service a storefront uses.",
    &[
        Field::new(
            "$schema",
            Ty::Text,
            Need::Optional,
            "Path or URL of catalogue.schema.json, for editors. Ignored by cookiegate.",
        ),
        Field::new(
            "revision",
            Ty::Integer {
                min: 1,
                max: u32::MAX as u64,
                #[cfg(not(target_arch = "wasm32"))]
                why: "revisions count up from 1",
                default: None,
            },
            Need::Required,
            "Bump it whenever a change needs fresh consent (a new service, a new purpose, a longer lifetime).",
        ),
        Field::new(
            "consent_days",
            Ty::Integer {
                min: 1,
                max: MAX_CONSENT_DAYS,
                #[cfg(not(target_arch = "wasm32"))]
                why: "a choice may be kept at most 395 days (13 months), the longest any EU regulator accepts; 182 (six months) is the recommended default",
                default: Some(DEFAULT_CONSENT_DAYS as u64),
            },
            Need::Optional,
            "How long a choice is kept before the banner asks again: 1 to 395 days (default 182, six months).",
        ),
        Field::new(
            "policy_url",
            Ty::HttpsUrl,
            Need::Required,
            "The privacy policy the banner links to (https:).",
        ),
        Field::new(
            "languages",
            Ty::List {
                of: &Ty::LanguageTag,
                min: 1,
                max: MAX_LANGUAGES,
                unique: true,
            },
            Need::Required,
            "The languages the texts are written in (\"en\", \"de\", \"pt-BR\"). The first one is the fallback.",
        ),
        Field::new(
            "notes",
            Ty::Text,
            Need::Optional,
            "Free text for editors. Never shown to visitors.",
        ),
        Field::new(
            "texts",
            Ty::TextsByLanguage,
            Need::Required,
            "The banner's own words: one object per declared language, with every text key.",
        ),
        Field::new(
            "categories",
            Ty::List {
                of: &Ty::Object(&CATEGORY),
                min: 1,
                max: MAX_CATEGORIES,
                unique: false,
            },
            Need::Required,
            "The purposes visitors choose between, in display order.",
        ),
        Field::new(
            "services",
            Ty::List {
                of: &Ty::Object(&SERVICE),
                min: 0,
                max: MAX_SERVICES,
                unique: false,
            },
            Need::Required,
            "Every service that sets cookies, stores data or sends data, in display order.",
        ),
    ],
);

/// Where a UI text is shown, for editors (schema descriptions).
#[cfg(not(target_arch = "wasm32"))]
pub fn text_key_about(key: TextKey) -> &'static str {
    match key {
        TextKey::BannerTitle => "First layer heading.",
        TextKey::BannerBody => {
            "First layer text: what is collected, why, that third parties are involved."
        }
        TextKey::WithdrawNote => {
            "First layer: that the choice can be changed or withdrawn at any time."
        }
        TextKey::PolicyLink => "Text of the link to policy_url.",
        TextKey::AcceptAll => "First-layer button that accepts every category.",
        TextKey::RejectAll => "First-layer button that refuses every optional category.",
        TextKey::Preferences => "First-layer button that opens the preferences dialog.",
        TextKey::DialogTitle => "Preferences dialog heading.",
        TextKey::DialogBody => "Preferences dialog intro.",
        TextKey::Save => "Dialog button that saves the choices.",
        TextKey::Close => "Dialog button that closes it.",
        TextKey::AlwaysOn => "Shown beside a required category.",
        TextKey::ShowServices => "Label of the button that expands a category's services.",
        TextKey::Provider => "Label in the service details: provider.",
        TextKey::Purpose => "Label in the service details: purpose.",
        TextKey::Lifetime => "Label in the service details: lifetime.",
        TextKey::Cookies => "Label in the service details: cookies.",
        TextKey::Policy => "Label in the service details: privacy policy.",
        TextKey::FirstParty => "Cookie party: first party.",
        TextKey::ThirdParty => "Cookie party: third party.",
        TextKey::Session => "Lifetime: until the browser session ends.",
        TextKey::Minute => "Lifetime unit, singular.",
        TextKey::Minutes => "Lifetime unit, plural.",
        TextKey::Hour => "Lifetime unit, singular.",
        TextKey::Hours => "Lifetime unit, plural.",
        TextKey::Day => "Lifetime unit, singular.",
        TextKey::Days => "Lifetime unit, plural.",
        TextKey::Month => "Lifetime unit, singular.",
        TextKey::Months => "Lifetime unit, plural.",
        TextKey::Year => "Lifetime unit, singular.",
        TextKey::Years => "Lifetime unit, plural.",
        TextKey::GpcHonoured => {
            "Shown when the browser's Global Privacy Control signal was honoured."
        }
        TextKey::Saved => "Status message after a choice is saved.",
        TextKey::Reopen => "Accessible name of the small re-open control.",
        TextKey::Placeholder => {
            "Iframe placeholder text; {service} is replaced by the service's name."
        }
        TextKey::LoadOnce => "Placeholder button that loads the iframe this once.",
        TextKey::AllowService => {
            "Placeholder button that always allows the service; {service} is replaced by its name."
        }
        TextKey::ReloadNotice => "Said before the page reloads so a withdrawal takes effect.",
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::{self, Value};

    /// Every field name in `shape` that some object in `objects` uses.
    fn used<'a>(objects: impl Iterator<Item = &'a Value>) -> Vec<String> {
        objects
            .filter_map(Value::as_object)
            .flatten()
            .map(|m| m.key.clone())
            .collect()
    }

    fn items<'a>(parents: &[&'a Value], key: &str) -> Vec<&'a Value> {
        parents
            .iter()
            .filter_map(|p| p.get(key)?.as_array())
            .flatten()
            .collect()
    }

    /// The rule tests edit the fixture; it must exercise every field so a
    /// reader asking for a field the tables do not define cannot go unnoticed.
    #[test]
    fn the_test_fixture_uses_every_field() -> Result<(), json::ParseError> {
        let root = json::parse(include_str!("../../tests/fixtures/valid.json"))?;
        let categories = items(&[&root], "categories");
        let services = items(&[&root], "services");
        let cookies = items(&services, "cookies");
        let storage = items(&services, "storage");
        let scripts = items(&services, "scripts");
        let cases: [(&Shape, Vec<&Value>); 6] = [
            (&CATALOGUE, vec![&root]),
            (&CATEGORY, categories),
            (&SERVICE, services),
            (&COOKIE, cookies),
            (&STORAGE_KEY, storage),
            (&SCRIPT, scripts),
        ];
        for (shape, objects) in cases {
            let names = used(objects.into_iter());
            for field in shape.fields {
                assert!(
                    names.iter().any(|n| n == field.name),
                    "{}: {}",
                    shape.def,
                    field.name
                );
            }
        }
        Ok(())
    }
}
