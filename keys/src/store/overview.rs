//! Queries for an overview of the whole store that the desk's Postvak needs (added for
//! the desk; the CLI does not use them).

use std::collections::HashSet;

use super::Store;
use crate::error::Result;

impl Store {
    /// Numbers of the cases with a vervolg that arrived after the meldpunt's last reply
    /// or note on the case: new follow-ups nobody has answered yet.
    pub fn cases_with_new_vervolg(&self) -> Result<HashSet<String>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT c.number FROM cases c WHERE EXISTS (
                     SELECT 1 FROM items i WHERE i.case_id = c.id AND i.kind = 'vervolg'
                     AND i.pos > max(
                         coalesce((SELECT max(pos) FROM replies r WHERE r.case_id = c.id), 0),
                         coalesce((SELECT max(pos) FROM notes n WHERE n.case_id = c.id), 0)))",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<HashSet<String>>>()
            .map_err(self.err())
    }
}
