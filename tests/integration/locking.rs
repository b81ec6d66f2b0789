//! Optimistic locking with `#[model(version)]`.

use crate::common::client;
use dynamo_model::{Error, Model};

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "counters")]
struct Counter {
    #[model(hash_key)]
    id: String,
    count: u64,
    #[model(version)]
    version: u64,
}

#[tokio::test]
async fn versions_count_writes_and_stale_writes_conflict() {
    let db = client().await;
    Counter::create_table(&db).await.unwrap();
    let fresh = Counter {
        id: "c".into(),
        count: 0,
        version: 0,
    };
    Counter::create(&db, &fresh).await.unwrap();
    let stored = Counter::get(&db, "c").await.unwrap().unwrap();
    assert_eq!(stored.version, 1);

    // Saving the stale struct (version 0) conflicts.
    let error = Counter::save(
        &db,
        &Counter {
            count: 5,
            ..fresh.clone()
        },
    )
    .await
    .unwrap_err();
    assert!(error.is_version_conflict(), "{error:?}");
    assert!(matches!(
        error,
        Error::VersionConflict {
            expected: 0,
            found: Some(1),
            ..
        }
    ));
    assert!(error.is_conditional_check_failed());

    // Saving the current one succeeds and counts the write.
    Counter::save(
        &db,
        &Counter {
            count: 5,
            ..stored.clone()
        },
    )
    .await
    .unwrap();
    let stored = Counter::get(&db, "c").await.unwrap().unwrap();
    assert_eq!((stored.count, stored.version), (5, 2));

    // Updates count too; expect_version guards them.
    let f = Counter::fields();
    let updated = Counter::update(&db, "c")
        .increment(&f.count, 1)
        .return_new()
        .await
        .unwrap();
    assert_eq!((updated.count, updated.version), (6, 3));
    let error = Counter::update(&db, "c")
        .increment(&f.count, 1)
        .expect_version(2)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::VersionConflict {
                expected: 2,
                found: Some(3),
                ..
            }
        ),
        "{error:?}"
    );
    Counter::update(&db, "c")
        .increment(&f.count, 1)
        .expect_version(3)
        .await
        .unwrap();
    let error = Counter::update(&db, "c")
        .set(&f.version, 9)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::InvalidExpression { .. }),
        "{error:?}"
    );

    // Deletes, too.
    let error = Counter::delete(&db, "c")
        .expect_version(3)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::VersionConflict {
                expected: 3,
                found: Some(4),
                ..
            }
        ),
        "{error:?}"
    );
    Counter::delete(&db, "c").expect_version(4).await.unwrap();
    assert!(Counter::get(&db, "c").await.unwrap().is_none());

    // A save of a versioned item that was deleted meanwhile conflicts too.
    let error = Counter::save(&db, &stored).await.unwrap_err();
    assert!(
        matches!(error, Error::VersionConflict { found: None, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn concurrent_read_modify_write_loses_no_update() {
    let db = client().await;
    Counter::create_table(&db).await.unwrap();
    Counter::create(
        &db,
        &Counter {
            id: "c".into(),
            count: 0,
            version: 0,
        },
    )
    .await
    .unwrap();

    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut conflicts = 0;
                for _ in 0..50 {
                    loop {
                        let mut counter = Counter::get(&db, "c")
                            .consistent(true)
                            .await
                            .unwrap()
                            .unwrap();
                        counter.count += 1;
                        match Counter::save(&db, &counter).await {
                            Ok(()) => break,
                            Err(e) if e.is_version_conflict() => conflicts += 1,
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
                conflicts
            })
        })
        .collect();
    let mut conflicts = 0;
    for task in tasks {
        conflicts += task.await.unwrap();
    }
    let counter = Counter::get(&db, "c")
        .consistent(true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(counter.count, 400, "after {conflicts} conflicts");
    assert_eq!(counter.version, 401);
}
