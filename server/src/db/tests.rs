use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

use rusqlite::{Connection, MAIN_DB, OptionalExtension, params};

use super::migrations::MIGRATIONS;
use super::*;

fn submission(hash: u8, id: &str, kind: ItemKind) -> Submission {
    Submission {
        kind,
        id: id.into(),
        organisation: "leiden".into(),
        lookup_hash: [hash; 32],
        received_day: "2026-11-22".into(),
        ciphertext: Blob::from(vec![1, 2, 3]),
        bijlagen: Vec::new(),
    }
}

#[test]
fn migrates_once_and_refuses_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    drop(Db::open(&path).unwrap());
    drop(Db::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, MIGRATIONS.len() as i64);
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    assert!(matches!(Db::open(&path), Err(DbError::NewerSchema(99))));
}

/// A database at schema `version`, as an older server left it, with one case
/// (lookup hash all 7s) and whatever `rows` adds; then opened by this one.
fn opened_from_version(dir: &Path, version: usize, rows: &str) -> Db {
    let path = dir.join("m.db");
    let mut conn = connect(&path).unwrap();
    let tx = conn.transaction().unwrap();
    for sql in &MIGRATIONS[..version] {
        tx.execute_batch(sql).unwrap();
    }
    tx.pragma_update(None, "user_version", version as i64)
        .unwrap();
    tx.execute(
        "INSERT INTO cases VALUES (?1, 'leiden', '2026-01-01')",
        [&[7u8; 32][..]],
    )
    .unwrap();
    tx.execute_batch(rows).unwrap();
    tx.commit().unwrap();
    drop(conn);
    Db::open(&path).unwrap()
}

#[test]
fn migration_2_keeps_version_1_items() {
    let dir = tempfile::tempdir().unwrap();
    let db = opened_from_version(
        dir.path(),
        1,
        "INSERT INTO items SELECT 'a', 'melding', 'leiden', lookup_hash, '2026-01-01', x'0102' FROM cases",
    );
    let items = all_items(&db.read.lock().unwrap());
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].1, vec![1, 2]);
    assert_eq!(items[0].0.parent, None);
}

#[test]
fn migration_3_drops_the_unused_index_and_keeps_the_foreign_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = opened_from_version(dir.path(), 2, "");
    let conn = db.read.lock().unwrap();
    let index: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_schema WHERE name = 'items_by_case'",
            [],
            |r| r.get(0),
        )
        .optional()
        .unwrap();
    assert_eq!(index, None);
    // An item still needs its case, and the case still takes its items.
    let orphan = conn.execute(
        "INSERT INTO items (id, kind, organisation, lookup_hash, received_day, ciphertext)
         VALUES ('b', 'melding', 'leiden', ?1, '2026-01-01', x'01')",
        [&[8u8; 32][..]],
    );
    assert!(orphan.is_err(), "{orphan:?}");
    conn.execute(
        "INSERT INTO items (id, kind, organisation, lookup_hash, received_day, ciphertext)
         VALUES ('a', 'melding', 'leiden', ?1, '2026-01-01', x'01')",
        [&[7u8; 32][..]],
    )
    .unwrap();
}

#[test]
fn migration_4_keeps_older_cases_as_ordinary_cases_without_a_recorded_melding() {
    let dir = tempfile::tempdir().unwrap();
    let db = opened_from_version(
        dir.path(),
        3,
        "INSERT INTO items SELECT 'a', 'melding', 'leiden', lookup_hash, '2026-01-01', NULL, x'0102' FROM cases",
    );
    let conn = db.read.lock().unwrap();
    let case = case_info(&conn, &[7u8; 32]).unwrap().unwrap();
    assert_eq!(
        case,
        CaseInfo {
            organisation: "leiden".into(),
            bestuurder: false,
            opened_day: "2026-01-01".into(),
            melding: None,
        }
    );
    // A melding sent again for it cannot be recognised: refused as before.
    let again = submission(7, "b", ItemKind::Melding);
    let intake = Intake {
        sha256: Some([1; 32]),
        bestuurder: false,
    };
    assert_eq!(
        insert_submission_once(&conn, &again, &intake).unwrap(),
        Stored::CaseExists
    );
    assert_eq!(all_items(&conn).len(), 1);
}

/// Every exported item with its bytes, read the way the export reads them.
fn all_items(conn: &Connection) -> Vec<(ItemMeta, Vec<u8>)> {
    item_metas(conn)
        .unwrap()
        .into_iter()
        .map(|m| {
            let mut bytes = Vec::new();
            let mut blob = conn
                .blob_open(MAIN_DB, c"items", c"ciphertext", m.rowid, true)
                .unwrap();
            std::io::Read::read_to_end(&mut blob, &mut bytes).unwrap();
            (m, bytes)
        })
        .collect()
}

#[tokio::test]
async fn one_case_per_lookup_hash_and_follow_ups_need_a_case() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("m.db")).unwrap();
    let w = |s: Submission| {
        let db = db.clone();
        async move { db.write(move |c| insert_submission(c, &s)).await.unwrap() }
    };
    assert_eq!(
        w(submission(1, "a", ItemKind::Melding)).await,
        Stored::Stored {
            organisation: "leiden".into()
        }
    );
    assert_eq!(
        w(submission(1, "b", ItemKind::Melding)).await,
        Stored::CaseExists
    );
    assert_eq!(
        w(submission(2, "c", ItemKind::Vervolg)).await,
        Stored::NoCase
    );
    let mut v = submission(1, "d", ItemKind::Vervolg);
    v.organisation = "ignored".into();
    v.bijlagen = vec![("e".into(), Blob::from(vec![9; 100_000]))];
    assert_eq!(
        w(v).await,
        Stored::Stored {
            organisation: "leiden".into()
        }
    );
    let mut conn = db.read.lock().unwrap();
    assert_eq!(
        counts(&mut conn).unwrap(),
        Counts {
            cases: 1,
            items: 3,
            replies: 0
        }
    );
    let items = all_items(&conn);
    assert_eq!(items[2].0.parent.as_deref(), Some("d"));
    assert_eq!(items[2].0.organisation, "leiden");
    assert_eq!(items[2].1, vec![9; 100_000]);
    assert_eq!(replies_for(&mut conn, &[1; 32]).unwrap().unwrap().len(), 0);
    assert!(replies_for(&mut conn, &[2; 32]).unwrap().is_none());
}

#[tokio::test]
async fn concurrent_writes_share_commits_and_a_failing_one_rolls_back_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("m.db")).unwrap();
    let mut tasks = Vec::new();
    for i in 0..200u8 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let s = submission(i, &format!("id{i}"), ItemKind::Melding);
            db.write(move |c| {
                insert_submission(c, &s)?;
                if i % 10 == 0 {
                    // A write that fails after it wrote something.
                    c.execute("INSERT INTO nonexistent VALUES (1)", [])?;
                }
                Ok(())
            })
            .await
        }));
    }
    let mut failed = 0;
    for t in tasks {
        if t.await.unwrap().is_err() {
            failed += 1;
        }
    }
    assert_eq!(failed, 20);
    let c = counts(&mut db.read.lock().unwrap()).unwrap();
    assert_eq!((c.cases, c.items), (180, 180));
    let commits = db.stats().commits.load(Ordering::Relaxed);
    assert!(commits < 200, "{commits} commits for 200 writes");
}

/// A melding of 16 KiB, the size the intake benchmark sends, on case `n`.
fn sixteen_kib(n: u32) -> Submission {
    let mut lookup_hash = [0u8; 32];
    lookup_hash[..4].copy_from_slice(&n.to_be_bytes());
    Submission {
        lookup_hash,
        ciphertext: Blob::from(vec![0x5a; 16 << 10]),
        ..submission(0, &format!("{n:032x}"), ItemKind::Melding)
    }
}

#[tokio::test]
async fn the_checkpoint_thread_copies_commits_into_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let db = Db::open(&path).unwrap();
    let before = std::fs::metadata(&path).unwrap().len();
    for n in 0..50 {
        db.write(move |c| insert_submission(c, &sixteen_kib(n)))
            .await
            .unwrap();
    }
    // About 250 WAL pages, far below the writer's own threshold: only the
    // checkpoint thread can have copied them into the database file.
    let want = before + 50 * (16 << 10);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let len = std::fs::metadata(&path).unwrap().len();
        if len >= want {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "database file still {len} bytes, want {want}: nothing checkpointed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_stays_bounded_under_continuous_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let db = Db::open(&path).unwrap();
    // 16 writers, 2,400 items of 16 KiB: some 12,000 WAL pages, three times the
    // writer's threshold, without a pause for the checkpoint thread to catch up.
    let mut tasks = Vec::new();
    for w in 0..16u32 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..150 {
                let n = w * 1000 + i;
                db.write(move |c| insert_submission(c, &sixteen_kib(n)))
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let n: i64 = db
        .call(|c| {
            c.query_row("SELECT count(*) FROM items", [], |r| r.get(0))
                .map_err(DbError::from)
        })
        .await
        .unwrap();
    assert_eq!(n, 2400);
    // SQLite overwrites its WAL from the start rather than shrinking it, so its
    // size now is the largest it ever was: the threshold plus the groups that
    // commit before a restart finds no checkpoint in its way (without the
    // threshold it reaches some 12,000 pages).
    let wal = std::fs::metadata(dir.path().join("m.db-wal"))
        .unwrap()
        .len();
    let frame = 4096 + 24;
    let limit = (u64::from(WRITER_CHECKPOINT_PAGES) + 2000) * frame;
    assert!(wal <= limit, "WAL grew to {wal} bytes, limit {limit}");
}

#[tokio::test]
async fn confirmed_items_are_deleted_and_old_replies_purged() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("m.db")).unwrap();
    let s = submission(1, "a", ItemKind::Melding);
    db.write(move |c| insert_submission(c, &s)).await.unwrap();
    let r = |id: &str, day: &str| Reply {
        id: id.into(),
        lookup_hash: [1; 32],
        day: day.into(),
        ciphertext: vec![1],
        signature: [0; 64],
    };
    let replies = vec![r("r1", "2020-01-01"), r("r2", "2026-11-22")];
    db.write(move |c| import_replies(c, &replies))
        .await
        .unwrap();
    let ids = vec!["a".to_string(), "zz".to_string()];
    let ids2 = ids.clone();
    assert_eq!(
        db.write(move |c| delete_items(c, &ids)).await.unwrap(),
        (1, 1)
    );
    assert_eq!(
        db.write(move |c| delete_items(c, &ids2)).await.unwrap(),
        (0, 2)
    );
    assert_eq!(
        db.write(|c| purge_replies(c, "2021-01-01")).await.unwrap(),
        1
    );
    let c = counts(&mut db.read.lock().unwrap()).unwrap();
    assert_eq!(
        c,
        Counts {
            cases: 1,
            items: 0,
            replies: 1
        }
    );
}

#[test]
fn foreign_keys_are_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("m.db")).unwrap();
    let conn = db.read.lock().unwrap();
    let r = conn.execute(
        "INSERT INTO replies (id, lookup_hash, day, ciphertext, signature) VALUES ('x', ?1, 'd', x'00', ?2)",
        params![&[9u8; 32][..], &[0u8; 64][..]],
    );
    assert!(r.is_err());
}
