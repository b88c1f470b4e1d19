//! Completion records: signing, export (Faro, CSV, xAPI), certificates, coordinator merge.
