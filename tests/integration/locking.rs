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
    let mut counter = Counter {
        id: "c".into(),
        count: 0,
        version: 0,
    };
    let stale = counter.clone();
    Counter::create(&db, &mut counter).await.unwrap();
    // The write set the struct's version to the one stored...
    assert_eq!(counter.version, 1);
    assert_eq!(Counter::get(&db, "c").await.unwrap(), Some(counter.clone()));

    // ...so it can be changed and saved again, with no read in between.
    counter.count = 4;
    Counter::save(&db, &mut counter).await.unwrap();
    counter.count = 5;
    Counter::save(&db, &mut counter).await.unwrap();
    assert_eq!(counter.version, 3);
    let stored = Counter::get(&db, "c").await.unwrap().unwrap();
    assert_eq!(stored, counter);

    // Saving a copy from before those writes conflicts, and says so.
    let mut stale = Counter { count: 9, ..stale };
    let error = Counter::save(&db, &mut stale).await.unwrap_err();
    assert!(error.is_version_conflict(), "{error:?}");
    assert!(matches!(
        error,
        Error::VersionConflict {
            expected: 0,
            found: Some(3),
            ..
        }
    ));
    assert!(error.is_conditional_check_failed());
    assert!(error.to_string().contains("has version 3"), "{error}");
    assert_eq!(stale.version, 0, "a failed write leaves the version alone");
    assert_eq!(Counter::get(&db, "c").await.unwrap(), Some(counter));

    // Updates count too; expect_version guards them.
    let f = Counter::fields();
    let updated = Counter::update(&db, "c")
        .increment(&f.count, 1)
        .return_new()
        .await
        .unwrap();
    assert_eq!((updated.count, updated.version), (6, 4));
    let error = Counter::update(&db, "c")
        .increment(&f.count, 1)
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
    Counter::update(&db, "c")
        .increment(&f.count, 1)
        .expect_version(4)
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
        .expect_version(4)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::VersionConflict {
                expected: 4,
                found: Some(5),
                ..
            }
        ),
        "{error:?}"
    );
    Counter::delete(&db, "c").expect_version(5).await.unwrap();
    assert!(Counter::get(&db, "c").await.unwrap().is_none());

    // A save of a versioned item that was deleted meanwhile conflicts too.
    let mut deleted = stored;
    let error = Counter::save(&db, &mut deleted).await.unwrap_err();
    assert!(
        matches!(error, Error::VersionConflict { found: None, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("no longer exists"), "{error}");
}

#[tokio::test]
async fn concurrent_read_modify_write_loses_no_update() {
    let db = client().await;
    Counter::create_table(&db).await.unwrap();
    Counter::create(
        &db,
        &mut Counter {
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
                        match Counter::save(&db, &mut counter).await {
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
