//! The catalogue as typed data: what `load` returns once a catalogue has
//! passed every check. Nothing here can be invalid by construction of the
//! reader; consumers never re-validate.

/// Text in several languages: `(language tag, text)` pairs in catalogue order.
/// A text that is the same in every language (a brand name written as a
/// plain string) is one pair whose tag is empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Localized(pub Vec<(String, String)>);

impl From<&str> for Localized {
    /// The same text in every language.
    fn from(text: &str) -> Localized {
        Localized(vec![(String::new(), text.to_string())])
    }
}

impl Localized {
    /// The text in `lang`, else in its base language (`de` for `de-AT`),
    /// else in `fallback`, else the first one given, else "".
    pub fn pick<'a>(&'a self, lang: &str, fallback: &str) -> &'a str {
        let base = crate::text::before_byte(lang, b'-');
        let find = |l: &str| {
            self.0
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(l))
                .map(|(_, v)| v.as_str())
        };
        find(lang)
            .or_else(|| find(base))
            .or_else(|| find(fallback))
            .or_else(|| self.0.first().map(|(_, v)| v.as_str()))
            .unwrap_or("")
    }
}

/// A Google Consent Mode v2 consent type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    /// `ad_storage`
    AdStorage,
    /// `ad_user_data`
    AdUserData,
    /// `ad_personalization`
    AdPersonalization,
    /// `analytics_storage`
    AnalyticsStorage,
    /// `functionality_storage`
    FunctionalityStorage,
    /// `personalization_storage`
    PersonalizationStorage,
    /// `security_storage` (always granted)
    SecurityStorage,
}

impl Signal {
    /// All seven, in the order Google documents them.
    pub const ALL: [Signal; 7] = [
        Signal::AdStorage,
        Signal::AdUserData,
        Signal::AdPersonalization,
        Signal::AnalyticsStorage,
        Signal::FunctionalityStorage,
        Signal::PersonalizationStorage,
        Signal::SecurityStorage,
    ];

    /// The name gtag uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::AdStorage => "ad_storage",
            Signal::AdUserData => "ad_user_data",
            Signal::AdPersonalization => "ad_personalization",
            Signal::AnalyticsStorage => "analytics_storage",
            Signal::FunctionalityStorage => "functionality_storage",
            Signal::PersonalizationStorage => "personalization_storage",
            Signal::SecurityStorage => "security_storage",
        }
    }

    /// The signal named `name`, if any.
    pub fn from_name(name: &str) -> Option<Signal> {
        Signal::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// The keys of the UI texts every declared language must provide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum TextKey {
    BannerTitle,
    BannerBody,
    WithdrawNote,
    PolicyLink,
    AcceptAll,
    RejectAll,
    Preferences,
    DialogTitle,
    DialogBody,
    Save,
    Close,
    AlwaysOn,
    ShowServices,
    Provider,
    Purpose,
    Lifetime,
    Cookies,
    Policy,
    FirstParty,
    ThirdParty,
    Session,
    Minute,
    Minutes,
    Hour,
    Hours,
    Day,
    Days,
    Month,
    Months,
    Year,
    Years,
    GpcHonoured,
    Saved,
    Reopen,
    Placeholder,
    LoadOnce,
    AllowService,
    ReloadNotice,
}

impl TextKey {
    /// Every key, in documentation order.
    pub const ALL: [TextKey; 38] = [
        TextKey::BannerTitle,
        TextKey::BannerBody,
        TextKey::WithdrawNote,
        TextKey::PolicyLink,
        TextKey::AcceptAll,
        TextKey::RejectAll,
        TextKey::Preferences,
        TextKey::DialogTitle,
        TextKey::DialogBody,
        TextKey::Save,
        TextKey::Close,
        TextKey::AlwaysOn,
        TextKey::ShowServices,
        TextKey::Provider,
        TextKey::Purpose,
        TextKey::Lifetime,
        TextKey::Cookies,
        TextKey::Policy,
        TextKey::FirstParty,
        TextKey::ThirdParty,
        TextKey::Session,
        TextKey::Minute,
        TextKey::Minutes,
        TextKey::Hour,
        TextKey::Hours,
        TextKey::Day,
        TextKey::Days,
        TextKey::Month,
        TextKey::Months,
        TextKey::Year,
        TextKey::Years,
        TextKey::GpcHonoured,
        TextKey::Saved,
        TextKey::Reopen,
        TextKey::Placeholder,
        TextKey::LoadOnce,
        TextKey::AllowService,
        TextKey::ReloadNotice,
    ];

    /// The key as written in the catalogue.
    pub fn as_str(self) -> &'static str {
        match self {
            TextKey::BannerTitle => "banner_title",
            TextKey::BannerBody => "banner_body",
            TextKey::WithdrawNote => "withdraw_note",
            TextKey::PolicyLink => "policy_link",
            TextKey::AcceptAll => "accept_all",
            TextKey::RejectAll => "reject_all",
            TextKey::Preferences => "preferences",
            TextKey::DialogTitle => "dialog_title",
            TextKey::DialogBody => "dialog_body",
            TextKey::Save => "save",
            TextKey::Close => "close",
            TextKey::AlwaysOn => "always_on",
            TextKey::ShowServices => "show_services",
            TextKey::Provider => "provider",
            TextKey::Purpose => "purpose",
            TextKey::Lifetime => "lifetime",
            TextKey::Cookies => "cookies",
            TextKey::Policy => "policy",
            TextKey::FirstParty => "first_party",
            TextKey::ThirdParty => "third_party",
            TextKey::Session => "session",
            TextKey::Minute => "minute",
            TextKey::Minutes => "minutes",
            TextKey::Hour => "hour",
            TextKey::Hours => "hours",
            TextKey::Day => "day",
            TextKey::Days => "days",
            TextKey::Month => "month",
            TextKey::Months => "months",
            TextKey::Year => "year",
            TextKey::Years => "years",
            TextKey::GpcHonoured => "gpc_honoured",
            TextKey::Saved => "saved",
            TextKey::Reopen => "reopen",
            TextKey::Placeholder => "placeholder",
            TextKey::LoadOnce => "load_once",
            TextKey::AllowService => "allow_service",
            TextKey::ReloadNotice => "reload_notice",
        }
    }
}

/// The UI texts of one language, indexed like [`TextKey::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Texts {
    /// The language tag.
    pub lang: String,
    /// One text per [`TextKey`], in [`TextKey::ALL`] order.
    pub values: Vec<String>,
}

impl Texts {
    /// The text for `key` ("" if somehow absent).
    pub fn get(&self, key: TextKey) -> &str {
        let i = TextKey::ALL.iter().position(|k| *k == key).unwrap_or(0);
        self.values.get(i).map(String::as_str).unwrap_or("")
    }
}

/// A unit of a cookie lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Unit {
    Minute,
    Hour,
    Day,
    Month,
    Year,
}

/// How long a cookie or storage key lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    /// Until the browser session ends.
    Session,
    /// A fixed span.
    Span {
        /// How many units.
        count: u32,
        /// Which unit.
        unit: Unit,
    },
}

impl Lifetime {
    /// The lifetime in whole minutes (months as 30 days, years as 365),
    /// `None` for session.
    pub fn minutes(self) -> Option<u64> {
        match self {
            Lifetime::Session => None,
            Lifetime::Span { count, unit } => {
                let per = match unit {
                    Unit::Minute => 1u64,
                    Unit::Hour => 60,
                    Unit::Day => 1_440,
                    Unit::Month => 43_200,
                    Unit::Year => 525_600,
                };
                Some(u64::from(count) * per)
            }
        }
    }
}

/// Who sets a cookie: the shop's own domain or the provider's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    /// Set on the shop's domain; cookiegate can delete it.
    First,
    /// Set on the provider's domain; cookiegate can only keep it from loading.
    Third,
}

/// What a cookie or storage entry matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Matcher {
    /// Exactly this name.
    Exact(String),
    /// Every name starting with this.
    Prefix(String),
    /// Every name the whole of which this glob matches (`*` is any run of
    /// characters), matched in linear time.
    Glob(String),
}

impl Matcher {
    /// Whether `name` is matched.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Matcher::Exact(n) => n == name,
            Matcher::Prefix(p) => name.starts_with(p.as_str()),
            Matcher::Glob(g) => super::glob::matches(g, name),
        }
    }

    /// How the matcher reads to a person (`_ga`, `_ga_*`, `_gac_*_*`).
    pub fn display(&self) -> String {
        match self {
            Matcher::Exact(n) | Matcher::Glob(n) => n.clone(),
            Matcher::Prefix(p) => crate::text::concat(&[p.as_str(), "*"]),
        }
    }
}

/// A cookie a service sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CookieSpec {
    /// What it matches.
    pub matcher: Matcher,
    /// How long it lives.
    pub lifetime: Lifetime,
    /// First or third party.
    pub party: Party,
    /// The domain it is set on, when declared.
    pub domain: Option<String>,
    /// The cookie path ("/" unless declared).
    pub path: String,
    /// Its own purpose; empty means the service's purpose.
    pub purpose: Localized,
}

/// Which web storage a key lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageKind {
    /// `localStorage`
    Local,
    /// `sessionStorage`
    Session,
}

/// A web-storage key a service writes.
#[derive(Clone, Debug, PartialEq)]
pub struct StorageSpec {
    /// What it matches.
    pub matcher: Matcher,
    /// Which storage.
    pub kind: StorageKind,
    /// How long it lives, when declared.
    pub lifetime: Option<Lifetime>,
    /// Its own purpose; empty means the service's purpose.
    pub purpose: Localized,
}

/// A script cookiegate injects itself when its service is accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptSpec {
    /// An `https:` URL on one of the service's hosts.
    pub src: String,
    /// Subresource Integrity hash, for version-pinned scripts.
    pub integrity: Option<String>,
    /// Load without blocking later scripts.
    pub is_async: bool,
}

/// A purpose visitors accept or refuse.
#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    /// The id used by services and page markup.
    pub id: String,
    /// Always on.
    pub required: bool,
    /// Switch label.
    pub title: Localized,
    /// What it is for.
    pub description: Localized,
    /// Consent Mode types granted while accepted.
    pub consent_mode: Vec<Signal>,
    /// Global Privacy Control keeps it off after "Accept all".
    pub gpc_opt_out: bool,
}

/// Something that stores or sends data: a tracker, an embed, the shop itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The id used by page markup.
    pub id: String,
    /// Its category id (always one that exists).
    pub category: String,
    /// Display name.
    pub name: Localized,
    /// Who receives the data.
    pub provider: Localized,
    /// What it does with it.
    pub purpose: Localized,
    /// The provider's privacy policy.
    pub policy_url: String,
    /// Hosts it talks to.
    pub hosts: Vec<String>,
    /// Scheme-less URL prefixes (`host/path?query`) that tell it apart on a
    /// host it shares with other services; the longest matching one wins.
    pub urls: Vec<String>,
    /// Scripts cookiegate injects on consent.
    pub scripts: Vec<ScriptSpec>,
    /// Consent Mode types it needs.
    pub consent_mode: Vec<Signal>,
    /// Transfers outside the EEA.
    pub third_country: Option<Localized>,
    /// Why it is necessary despite sending data to a third party.
    pub justification: Option<String>,
    /// Its cookies.
    pub cookies: Vec<CookieSpec>,
    /// Its web-storage keys.
    pub storage: Vec<StorageSpec>,
}

/// A whole, valid catalogue.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalogue {
    /// Bumped when a change needs fresh consent.
    pub revision: u32,
    /// How long a choice is kept.
    pub consent_days: u32,
    /// The shop's privacy policy.
    pub policy_url: String,
    /// Declared languages; the first is the fallback.
    pub languages: Vec<String>,
    /// UI texts, one per declared language, in `languages` order.
    pub texts: Vec<Texts>,
    /// Categories in display order.
    pub categories: Vec<Category>,
    /// Services in display order.
    pub services: Vec<Service>,
}

impl Catalogue {
    /// The declared language that best serves the visitor's preferences, in
    /// order: an exact match, then the base language, else the fallback.
    pub fn resolve_language<'a, I>(&self, wanted: I) -> &str
    where
        I: IntoIterator<Item = &'a str>,
    {
        for want in wanted {
            let want = want.trim();
            if want.is_empty() {
                continue;
            }
            if let Some(l) = self.languages.iter().find(|l| l.eq_ignore_ascii_case(want)) {
                return l;
            }
            let base = crate::text::before_byte(want, b'-');
            if let Some(l) = self.languages.iter().find(|l| l.eq_ignore_ascii_case(base)) {
                return l;
            }
        }
        self.languages.first().map(String::as_str).unwrap_or("en")
    }

    /// The fallback language.
    pub fn default_language(&self) -> &str {
        self.languages.first().map(String::as_str).unwrap_or("en")
    }

    /// UI text `key` in `lang` (resolved with [`Catalogue::resolve_language`]
    /// first), falling back to the default language.
    pub fn text(&self, lang: &str, key: TextKey) -> &str {
        let find = |l: &str| self.texts.iter().find(|t| t.lang.eq_ignore_ascii_case(l));
        find(lang)
            .or_else(|| find(self.default_language()))
            .or_else(|| self.texts.first())
            .map(|t| t.get(key))
            .unwrap_or("")
    }

    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The service with this id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// The services of a category, in catalogue order.
    pub fn services_of<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        self.services.iter().filter(move |s| s.category == category)
    }
}
