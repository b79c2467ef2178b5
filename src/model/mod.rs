//! Domain values, parsed once at the edge into types that cannot be invalid. No I/O here.

mod dossier;
mod email;
mod nrn;
mod observed;
mod person;
mod problem;
mod scope;
mod sets;
mod structure;
pub mod text;

pub use dossier::Dossier;
pub use email::{Email, EmailError};
#[cfg(test)]
pub(crate) use nrn::TEST_TODAY;
pub use nrn::{CalendarDate, Nrn, NrnError, NrnRepair, check_digits, mask_raw, redact};
pub use observed::{Caller, ObservedState, ObservedUser, OrganisationInfo, Profile};
pub use person::{Access, Columns, DesiredState, IdentityKey, Person, RowRequest, name_key};
pub use problem::{
    Field, GuardReaction, IdentityClash, Location, Problem, ProblemKind, ReadError, Severity,
    sort_problems,
};
pub use scope::ScopeMode;
pub use sets::{DossierSet, VecSet};
pub use structure::{StructureId, StructureInfo, StructureRef};
