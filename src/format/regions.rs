//! Region profiles: the contact cards for each side of the border (`assets/regions.ron`).

use serde::{Deserialize, Serialize};

use super::{ContactCard, Text};

/// Every region Faro knows, with the contacts shown in the Get help panel.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Regions {
    pub regions: Vec<Region>,
}

/// One side of the border and its contacts.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// `us` or `mx`.
    pub id: String,
    pub name: Text,
    /// A short line shown above the cards (e.g. "If anyone is in immediate danger, call 911").
    #[serde(default)]
    pub note: Option<Text>,
    pub contacts: Vec<ContactCard>,
}

impl Regions {
    /// The region with this id.
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    /// The contact card with this id, in any region.
    pub fn contact(&self, id: &str) -> Option<&ContactCard> {
        self.regions.iter().flat_map(|r| &r.contacts).find(|c| c.id == id)
    }
}
