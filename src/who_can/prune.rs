//! The cheap, sound filter that comes before the direct question: a principal
//! whose identity policies never name the action can only be allowed by a
//! resource policy. (The hops' filters on roles are in [`super::index`] and
//! [`super::scope`], and in `eval`'s `trust_may_admit` and
//! `refuses_every_role`.)

use crate::eval::Principal;
use crate::policy::Effect;

/// True when some identity Allow statement of `principal` names `action`:
/// without one, only a resource policy could allow.
#[inline]
pub(super) fn identity_may_allow(principal: &Principal, action: &str) -> bool {
    principal.identity_policies.iter().any(|policy| {
        policy
            .policy
            .statements_for(action)
            .any(|s| s.effect == Effect::Allow && s.applies_to_action(action))
    })
}
