//! The configuration file (`--config`, TOML) and the checks of its values (`settings::from_toml`, then
//! `settings::resolve` with the file as the only layer). Nothing may panic; every problem names a known
//! setting (or none, for the file as a whole; an unknown key as written) and a line of the file; accepted values keep their bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use settings::{DATABASE_POOL_SIZE, Origin, SESSION_TTL_HOURS, SETTINGS, SHUTDOWN_GRACE_SECS};

fn known(key: &str) -> bool {
    key.is_empty() || SETTINGS.iter().any(|(k, _, _)| *k == key)
}

fn in_file(origin: &Origin, lines: usize) -> bool {
    matches!(origin, Origin::File { line, .. } if (1..=lines + 1).contains(line))
}

fuzz_target!(|text: &str| {
    let lines = text.matches('\n').count() + 1;
    let file = match settings::from_toml(text) {
        Ok(file) => file,
        Err(e) => {
            // An unknown key is named as written; any other problem names a known setting or none.
            assert!(
                known(&e.key) || e.message.starts_with("unknown field"),
                "key {:?} in {e}",
                e.key
            );
            assert!(in_file(&e.origin, lines), "{e} outside {lines} lines");
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    match settings::resolve(&[&file.layer("fuzz.toml")]) {
        Ok(s) => {
            assert!(SESSION_TTL_HOURS.contains(&(s.session_ttl_secs / 3600)), "{s:?}");
            assert!(
                SHUTDOWN_GRACE_SECS.contains(&(s.shutdown_grace.as_secs() as i64)),
                "{s:?}"
            );
            if let Some(n) = s.database_pool_size {
                assert!(DATABASE_POOL_SIZE.contains(&i64::from(n)), "{s:?}");
            }
            if let Some(base) = &s.base_url {
                assert!(!base.ends_with('/'), "{base:?}");
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(!e.key.is_empty() && known(&e.key), "{e}");
                assert!(in_file(&e.origin, lines), "{e} outside {lines} lines");
            }
        }
    }
});
