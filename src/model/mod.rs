//! Domain values, parsed once at the edge into types that cannot be invalid; problems and the
//! language as data (a message id and its arguments, never a rendered sentence). No I/O here.

mod describe;
mod description;
mod dossier;
mod email;
mod lang;
mod message;
mod nrn;
mod observed;
mod period;
mod person;
mod problem;
mod reasons;
mod revert;
mod review;
mod scope;
mod sets;
mod structure;
pub mod text;

pub use description::Description;
pub use dossier::Dossier;
pub use email::{Email, EmailError};
pub use lang::Lang;
pub use message::{Message, Value, escaped};
#[cfg(test)]
pub(crate) use nrn::TEST_TODAY;
pub use nrn::{CalendarDate, Nrn, NrnError, NrnRepair, check_digits, mask_raw, redact};
pub use observed::{Caller, ObservedState, ObservedUser, OrganisationInfo, Profile};
pub use period::{DateError, Period, RowTime, parse_day, shown_date_value};
pub use person::{Access, Columns, DesiredState, IdentityKey, Person, RowRequest, name_key};
pub use problem::{
    Field, GuardReaction, IdentityClash, Location, Problem, ProblemKind, ReadError, RowUnknown,
    Severity, sort_problems,
};
pub use revert::{RevertItem, SupersededBy};
pub use scope::ScopeMode;
pub use sets::{DossierSet, VecSet};
pub use structure::{StructureId, StructureInfo, StructureRef};
