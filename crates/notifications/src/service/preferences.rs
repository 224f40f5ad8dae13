//! Per-user channel per kind. Only choices that differ from the default are stored.

use std::collections::BTreeMap;

use lyceum_platform::ids::UserId;
use lyceum_platform::{AppError, AppState, FieldError, Text};

use crate::{
    model::{Channel, KINDS, Kind, kind},
    repo::preferences,
};

/// One kind as the user has it.
#[derive(Debug, Clone)]
pub struct Preference {
    pub kind: &'static Kind,
    pub channel: Channel,
}

/// Every kind, in declaration order, with the user's channel (or the default).
pub async fn list(state: &AppState, user_id: &UserId) -> Result<Vec<Preference>, AppError> {
    let user_id = user_id.as_str();
    let stored = preferences::for_user(state.db.pool(), user_id).await?;
    Ok(KINDS
        .iter()
        .map(|k| {
            let channel = stored.get(k.id).copied().filter(|c| k.allows(*c)).unwrap_or(k.default);
            Preference { kind: k, channel }
        })
        .collect())
}

/// Sets the channels given (kind id → channel name); kinds not named keep
/// theirs. Every entry is checked before anything is saved; each problem is
/// reported on the field `<field_prefix><kind id>`.
pub async fn update(
    state: &AppState,
    user_id: &UserId,
    changes: &BTreeMap<String, String>,
    field_prefix: &str,
) -> Result<Vec<Preference>, AppError> {
    let mut valid = Vec::new();
    let mut errors = Vec::new();
    for (kind_id, raw) in changes {
        match check(kind_id, raw) {
            Ok(pair) => valid.push(pair),
            Err(message) => errors.push(FieldError::new(format!("{field_prefix}{kind_id}"), message)),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let mut tx = state.db.begin().await?;
    for (k, channel) in valid {
        set(&mut tx, user_id.as_str(), k, channel).await?;
    }
    tx.commit().await?;
    list(state, user_id).await
}

/// Stores `channel` for `kind`, or forgets the choice when it is the default.
pub(crate) async fn set(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    kind: &Kind,
    channel: Channel,
) -> Result<(), sqlx::Error> {
    if channel == kind.default {
        preferences::clear(conn, user_id, kind.id).await
    } else {
        preferences::set(conn, user_id, kind.id, channel).await
    }
}

fn check(kind_id: &str, raw: &str) -> Result<(&'static Kind, Channel), Text> {
    let known = KINDS.iter().map(|k| k.id).collect::<Vec<_>>().join(", ");
    let unknown =
        || Text::new("notifications.errors.unknown_kind").arg("kind", format!("{kind_id:?}")).arg("known", known);
    let k = kind(kind_id).ok_or_else(unknown)?;
    let channel = Channel::parse(raw)
        .ok_or_else(|| Text::new("notifications.errors.not_a_channel").arg("channel", format!("{raw:?}")))?;
    if !k.allows(channel) {
        let allowed = k.allowed().iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
        return Err(Text::new("notifications.errors.security_on").arg("allowed", allowed));
    }
    Ok((k, channel))
}
