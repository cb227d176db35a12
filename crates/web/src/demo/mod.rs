//! Demo content: the network "Netzwerk Innenstadt NRW", the 2018 pilot cities and one account per role.
//! Loading is idempotent: what exists is left alone, so a second load changes nothing.

use crate::auth::password;
use crate::error::AppError;
use domain::municipality::MunicipalityInput;
use domain::role::{CityRole, NetworkRole};
use store::{Db, StoreError};

pub const DEMO_PASSWORD: &str = "werkstatt-demo";
pub const NETWORK_NAME: &str = "Netzwerk Innenstadt NRW";

/// `(slug, name, AGS, population)` of the pilot cities.
pub const CITIES: [(&str, &str, &str, u32); 3] = [
    ("arnsberg", "Arnsberg", "05958004", 73_456),
    ("siegen", "Siegen", "05970040", 101_943),
    ("wassenberg", "Wassenberg", "05370036", 18_235),
];

/// One demo account, for the start-up listing.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub email: String,
    pub role: String,
}

fn role_label(role: CityRole) -> &'static str {
    match role {
        CityRole::Coordinator => "Kommunal-Koordination",
        CityRole::Editor => "Redaktion",
        CityRole::Participant => "Teilnehmende",
    }
}

fn local_part(role: CityRole) -> &'static str {
    match role {
        CityRole::Coordinator => "koordination",
        CityRole::Editor => "redaktion",
        CityRole::Participant => "teilnahme",
    }
}

async fn ensure_user(
    db: &Db,
    email: &str,
    name: &str,
    role: Option<NetworkRole>,
) -> Result<i64, AppError> {
    if let Some(u) = store::users::by_email(db, email).await? {
        return Ok(u.id);
    }
    let hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    Ok(store::users::create(db, email, name, &hash, role).await?)
}

/// Load the demo content; returns the accounts (all with `DEMO_PASSWORD`).
pub async fn load(db: &Db) -> Result<Vec<DemoAccount>, AppError> {
    if store::network::name(db).await?.is_none() {
        store::network::set_name(db, NETWORK_NAME).await?;
    }
    let mut accounts = Vec::new();
    let mut admin = 0;
    for (email, name, role, label) in [
        (
            "admin@werkstatt.demo",
            "Nora Netzwerk (Demo)",
            NetworkRole::Admin,
            "Netzwerk-Admin",
        ),
        (
            "steuerung@werkstatt.demo",
            "Stefan Steuerung (Demo)",
            NetworkRole::Steering,
            "Steuerungsgruppe",
        ),
    ] {
        let id = ensure_user(db, email, name, Some(role)).await?;
        if role == NetworkRole::Admin {
            admin = id;
        }
        accounts.push(DemoAccount {
            email: email.into(),
            role: label.into(),
        });
    }
    for (slug, name, ags, population) in CITIES {
        let municipality_id = match store::municipalities::by_slug(db, slug).await {
            Ok(m) => m.id,
            Err(StoreError::NotFound) => {
                let draft = MunicipalityInput {
                    slug: slug.into(),
                    name: name.into(),
                    ags: ags.into(),
                    population: population.to_string(),
                    state: "05".into(),
                }
                .parse()
                .map_err(|e| AppError::Internal(format!("demo city {slug}: {e}")))?;
                store::municipalities::create(db, &draft, true).await?
            }
            Err(e) => return Err(e.into()),
        };
        for role in CityRole::ALL {
            let email = format!("{}.{slug}@werkstatt.demo", local_part(role));
            let display = format!("{} {name} (Demo)", role_label(role));
            let user_id = ensure_user(db, &email, &display, None).await?;
            if store::users::role_in(db, user_id, municipality_id)
                .await?
                .is_none()
            {
                store::users::set_membership(db, user_id, municipality_id, role).await?;
            }
            accounts.push(DemoAccount {
                email,
                role: format!("{} {name}", role_label(role)),
            });
        }
        let coordinator =
            store::users::by_email(db, &format!("koordination.{slug}@werkstatt.demo"))
                .await?
                .map(|u| u.id);
        load_strategy(db, municipality_id, slug, coordinator).await?;
        participation::load_participation(db, municipality_id, coordinator).await?;
        implementation::load_progress(db, municipality_id, coordinator).await?;
    }
    exchange::load_exchange(db, admin).await?;
    Ok(accounts)
}

mod exchange;
mod implementation;
mod participation;
mod strategy;
pub use strategy::load_strategy;
