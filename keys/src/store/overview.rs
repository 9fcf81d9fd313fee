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

#[cfg(test)]
mod tests {
    use super::super::{NewReply, Store};

    fn store_with_case() -> (tempfile::TempDir, Store, i64) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("cases.db")).unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO cases (id, number, year, seq, lookup_hash, organisatie, received)
                 VALUES (1, '2026-0001', 2026, 1, 'aa', 'leiden', '2026-03-01');
                 INSERT INTO items VALUES ('i1', 1, 1, 'melding', '2026-03-01', '2026-03-02', x'00');",
            )
            .unwrap();
        (dir, store, 1)
    }

    fn reply(id: &str, case_id: i64, day: &str) -> NewReply {
        NewReply {
            id: id.into(),
            case_id,
            day: day.into(),
            ciphertext: vec![1],
            signature: [2u8; 64],
            own_copy: vec![3],
            feedback: false,
        }
    }

    #[test]
    fn the_acknowledgement_counts_when_the_reply_leaves_the_laptop() {
        let (_dir, mut store, case_id) = store_with_case();
        store
            .add_reply(&reply("r1", case_id, "2026-03-04"))
            .unwrap();
        let c = store.case("2026-0001").unwrap().unwrap();
        assert_eq!(c.acknowledged, None, "written is not given");
        store
            .mark_exported(&[("r1".into(), case_id)], "2026-03-06")
            .unwrap();
        let c = store.case("2026-0001").unwrap().unwrap();
        assert_eq!(c.acknowledged.as_deref(), Some("2026-03-06"));
        let events: Vec<String> = store
            .history(case_id)
            .unwrap()
            .into_iter()
            .map(|h| format!("{} {} {}", h.day, h.event, h.detail))
            .collect();
        assert!(
            events.contains(&"2026-03-06 ontvangstbevestiging 2026-03-06".to_string()),
            "{events:?}"
        );
        // A second reply leaving later does not move the day.
        store
            .add_reply(&reply("r2", case_id, "2026-03-10"))
            .unwrap();
        store
            .mark_exported(&[("r2".into(), case_id)], "2026-03-11")
            .unwrap();
        let c = store.case("2026-0001").unwrap().unwrap();
        assert_eq!(c.acknowledged.as_deref(), Some("2026-03-06"));
    }

    #[test]
    fn a_vervolg_after_the_last_reply_is_new() {
        let (_dir, mut store, case_id) = store_with_case();
        assert!(store.cases_with_new_vervolg().unwrap().is_empty());
        store
            .conn
            .execute_batch(
                "INSERT INTO items VALUES ('v1', 1, 2, 'vervolg', '2026-03-05', '2026-03-05', x'00');",
            )
            .unwrap();
        assert!(
            store
                .cases_with_new_vervolg()
                .unwrap()
                .contains("2026-0001")
        );
        store
            .add_reply(&reply("r1", case_id, "2026-03-06"))
            .unwrap();
        assert!(store.cases_with_new_vervolg().unwrap().is_empty());
    }
}
