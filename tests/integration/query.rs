//! Queries and scans against DynamoDB Local: typed key conditions on the
//! table and on each kind of index, pages and cursors (also across fresh
//! clients), streams, counts and parallel scans, over 1,200 items.

use crate::common::{local_endpoint, unique_prefix};
use dynamo_model::aws_sdk_dynamodb::types::{ProjectionType, TableDescription};
use dynamo_model::ops::pages::Page;
use dynamo_model::ops::query::{RangeCondition, RangeKey};
use dynamo_model::{Client, Document, Model};
use futures::{StreamExt, TryStreamExt};
use std::collections::BTreeSet;

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "events", rename_all = "camelCase")]
struct Event {
    #[model(hash_key)]
    user: String,
    #[model(range_key, global_index(name = "by_kind", range_key))]
    at: String,
    #[model(global_index(name = "by_kind", hash_key))]
    kind: String,
    #[model(local_index(name = "by_size", range_key, keys_only))]
    size: u64,
    /// Only every tenth event has a team: a sparse index.
    #[model(global_index(name = "by-team", hash_key, include(kind)))]
    team: Option<String>,
    score: u32,
}

const USERS: usize = 4;
const PER_USER: usize = 300;
const KINDS: [&str; 3] = ["click", "view", "buy"];

fn event(user: usize, i: usize) -> Event {
    Event {
        user: format!("u{user}"),
        at: format!("{}-{i:04}", if i < PER_USER / 2 { 2023 } else { 2024 }),
        kind: KINDS[i % 3].to_owned(),
        size: ((i * 7919 + user * 13) % 1000) as u64,
        team: i.is_multiple_of(10).then(|| format!("team{}", i % 3)),
        score: (i % 100) as u32,
    }
}

fn all_events() -> Vec<Event> {
    (0..USERS)
        .flat_map(|user| (0..PER_USER).map(move |i| event(user, i)))
        .collect()
}

/// A client of its own tables, and a function making fresh clients of the
/// same tables (as another process would, to resume from a cursor).
async fn clients() -> (Client, impl Fn() -> Client) {
    let endpoint = local_endpoint().await;
    let prefix = unique_prefix();
    let fresh = move || Client::local(endpoint.clone()).with_table_prefix(prefix.clone());
    (fresh(), fresh)
}

async fn seeded() -> (Client, impl Fn() -> Client) {
    let (db, fresh) = clients().await;
    Event::create_table(&db).await.unwrap();
    futures::stream::iter(all_events())
        .map(|event| {
            let db = db.clone();
            async move { Event::save(&db, &event).await }
        })
        .buffer_unordered(16)
        .try_collect::<()>()
        .await
        .unwrap();
    (db, fresh)
}

/// Reads page after page, each from a fresh client, until the cursor runs
/// out; returns the items and the number of pages.
async fn walk<T, F, Fut>(mut page: F) -> (Vec<T>, usize)
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = dynamo_model::Result<Page<T>>>,
{
    let (mut items, mut pages, mut cursor) = (Vec::new(), 0, None);
    loop {
        let next = page(cursor.take()).await.unwrap();
        pages += 1;
        items.extend(next.items);
        match next.cursor {
            Some(next) => cursor = Some(next),
            None => return (items, pages),
        }
        assert!(pages < 10_000, "the cursor never runs out");
    }
}

fn of_user(user: usize) -> Vec<Event> {
    (0..PER_USER).map(|i| event(user, i)).collect()
}

#[tokio::test]
async fn queries_and_scans_walk_every_page() {
    let (db, fresh) = seeded().await;

    // A query, 7 items a page, each page from a fresh client: every item of
    // the hash key once, in range key order.
    let (items, pages) = walk(|cursor| {
        let db = fresh();
        async move {
            let mut query = Event::query(&db).hash("u1").limit(7);
            if let Some(cursor) = cursor {
                query = query.start_after(cursor);
            }
            let page = query.page().await?;
            assert!(page.items.len() <= 7);
            Ok(page)
        }
    })
    .await;
    assert_eq!(items, of_user(1));
    assert_eq!(pages, PER_USER.div_ceil(7));

    // Descending, as a stream of pages of 10 evaluated items each.
    let newest_first: Vec<Event> = Event::query(&db)
        .hash("u2")
        .descending()
        .request_limit(10)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let mut expected = of_user(2);
    expected.reverse();
    assert_eq!(newest_first, expected);

    // Range conditions, typed to the String range key.
    let range = |condition: fn(RangeKey<String>) -> RangeCondition<String>| {
        let db = db.clone();
        async move {
            let events: Vec<Event> = Event::query(&db)
                .hash("u0")
                .range(condition)
                .all()
                .await
                .unwrap();
            events.into_iter().map(|e| e.at).collect::<Vec<_>>()
        }
    };
    let ats = |range: std::ops::Range<usize>| range.map(|i| event(0, i).at).collect::<Vec<_>>();
    assert_eq!(range(|at| at.begins_with("2024-")).await, ats(150..300));
    assert_eq!(range(|at| at.eq("2023-0042")).await, ats(42..43));
    assert_eq!(range(|at| at.lt("2023-0010")).await, ats(0..10));
    assert_eq!(range(|at| at.le("2023-0010")).await, ats(0..11));
    assert_eq!(range(|at| at.gt("2024-0289")).await, ats(290..300));
    assert_eq!(range(|at| at.ge("2024-0289")).await, ats(289..300));
    assert_eq!(
        range(|at| at.between("2023-0100", "2024-0199")).await,
        ats(100..200)
    );

    // A limit across pages of the stream, and counting.
    let first: Vec<Event> = Event::query(&db)
        .hash("u3")
        .request_limit(4)
        .limit(25)
        .all()
        .await
        .unwrap();
    assert_eq!(first, of_user(3)[..25]);
    assert_eq!(
        Event::query(&db).hash("u3").count().await.unwrap(),
        PER_USER
    );
    assert_eq!(
        Event::query(&db)
            .hash("u3")
            .range(|at| at.begins_with("2023"))
            .request_limit(20)
            .count()
            .await
            .unwrap(),
        PER_USER / 2
    );
    assert_eq!(
        Event::query(&db)
            .hash("u3")
            .limit(42)
            .count()
            .await
            .unwrap(),
        42
    );
    assert_eq!(
        Event::query(&db).hash("nobody").all().await.unwrap(),
        vec![]
    );

    // A scan, 100 items a page from fresh clients: every item exactly once.
    let (scanned, pages) = walk(|cursor| {
        let db = fresh();
        async move {
            let mut scan = Event::scan(&db).limit(100);
            if let Some(cursor) = cursor {
                scan = scan.start_after(cursor);
            }
            scan.page().await
        }
    })
    .await;
    assert!(pages >= USERS * PER_USER / 100);
    assert_same_events(scanned, all_events());

    // Parallel: four segments at once, merged.
    let parallel = Event::scan(&db).parallel(4).all().await.unwrap();
    assert_same_events(parallel, all_events());
    let limited = Event::scan(&db)
        .request_limit(50)
        .limit(111)
        .parallel(3)
        .all()
        .await
        .unwrap();
    assert_eq!(limited.len(), 111);
    assert_eq!(limited.iter().map(key).collect::<BTreeSet<_>>().len(), 111);
    assert_eq!(
        Event::scan(&db).parallel(5).count().await.unwrap(),
        USERS * PER_USER
    );
    assert_eq!(
        Event::scan(&db).consistent(true).count().await.unwrap(),
        USERS * PER_USER
    );

    // Segments page by page with their own cursors cover the table.
    let mut segments = Vec::new();
    for segment in 0..3 {
        let (items, _) = walk(|cursor| {
            let db = fresh();
            async move {
                let mut scan = Event::scan(&db).segment(segment, 3).limit(150);
                if let Some(cursor) = cursor {
                    scan = scan.start_after(cursor);
                }
                scan.page().await
            }
        })
        .await;
        segments.extend(items);
    }
    assert_same_events(segments, all_events());
}

#[tokio::test]
async fn page_streams_and_parallel_first_pages_resume_from_their_cursors() {
    let (db, fresh) = seeded().await;

    // A page stream: one page per request of 40, each with the cursor
    // after it, together every item of the hash key in order.
    let mut pages = Event::query(&db).hash("u2").request_limit(40).pages();
    let (mut items, mut cursors) = (Vec::new(), Vec::new());
    while let Some(page) = pages.try_next().await.unwrap() {
        assert!(page.items.len() <= 40);
        items.extend(page.items);
        cursors.push(page.cursor);
    }
    assert_eq!(items, of_user(2));
    assert_eq!(cursors.len(), PER_USER.div_ceil(40));
    // A cursor of the stream resumes, from another client, where it was.
    let third = cursors[2].clone().expect("more after the third page");
    let rest: Vec<Event> = Event::query(&fresh())
        .hash("u2")
        .start_after(third)
        .all()
        .await
        .unwrap();
    assert_eq!(rest, of_user(2)[120..].to_vec());
    // `limit` bounds the stream as a whole.
    let limited: Vec<Page<Event>> = Event::query(&db)
        .hash("u2")
        .request_limit(40)
        .limit(50)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let counts: Vec<usize> = limited.iter().map(|page| page.items.len()).collect();
    assert_eq!(counts, [40, 10]);

    // The item stream needs no pinning.
    let mut stream = Event::scan(&db).stream();
    assert!(stream.next().await.unwrap().is_ok());

    // A parallel scan's first pages, one per segment; each segment resumed
    // from its own cursor reads the rest of it, and together they are the
    // table.
    let firsts = Event::scan(&db)
        .limit(100)
        .parallel(3)
        .page()
        .await
        .unwrap();
    assert_eq!(firsts.len(), 3);
    let mut everything = Vec::new();
    for (segment, page) in (0..).zip(firsts) {
        assert!(page.items.len() <= 100);
        everything.extend(page.items);
        if let Some(cursor) = page.cursor {
            let rest: Vec<Event> = Event::scan(&fresh())
                .segment(segment, 3)
                .start_after(cursor)
                .all()
                .await
                .unwrap();
            everything.extend(rest);
        }
    }
    assert_same_events(everything, all_events());
}

#[tokio::test]
async fn indexes_are_queried_by_their_own_keys() {
    let (db, fresh) = seeded().await;

    // Global index, hash and range key of its own: pages across clients.
    let (buys, _) = walk(|cursor| {
        let db = fresh();
        async move {
            let mut query = Event::by_kind(&db).hash("buy").limit(33);
            if let Some(cursor) = cursor {
                query = query.start_after(cursor);
            }
            query.page().await
        }
    })
    .await;
    let expected: Vec<Event> = all_events()
        .into_iter()
        .filter(|e| e.kind == "buy")
        .collect();
    assert!(
        buys.windows(2).all(|w| w[0].at <= w[1].at),
        "range key order"
    );
    assert_same_events(buys, expected);
    let late_clicks = Event::by_kind(&db)
        .hash("click")
        .range(|at| at.ge("2024-0291"))
        .descending()
        .all()
        .await
        .unwrap();
    assert_eq!(late_clicks.len(), 3 * USERS); // 291, 294, 297 of each user
    assert!(late_clicks.windows(2).all(|w| w[0].at >= w[1].at));

    // Local index, keys only: a typed number range, items of keys only,
    // consistent reads allowed.
    let big: Vec<EventBySizeItem> = Event::by_size(&db)
        .hash("u1")
        .range(|size| size.gt(900))
        .consistent(true)
        .all()
        .await
        .unwrap();
    let mut expected: Vec<EventBySizeItem> = of_user(1)
        .into_iter()
        .filter(|e| e.size > 900)
        .map(|e| EventBySizeItem {
            user: e.user,
            at: e.at,
            size: e.size,
        })
        .collect();
    assert!(!expected.is_empty());
    assert!(big.windows(2).all(|w| w[0].size <= w[1].size));
    let sort = |items: &mut Vec<EventBySizeItem>| items.sort_by(|a, b| a.at.cmp(&b.at));
    let mut big_sorted = big.clone();
    sort(&mut big_sorted);
    sort(&mut expected);
    assert_eq!(big_sorted, expected);
    let smallest = Event::by_size(&db)
        .hash("u1")
        .range(|size| size.between(0, 10))
        .limit(2)
        .page()
        .await
        .unwrap();
    assert!(smallest.items.iter().all(|item| item.size <= 10));

    // Sparse global index with an included attribute: only items that have
    // the key, decoded into what the index holds.
    let team_items = Event::by_team(&db).scan().all().await.unwrap();
    assert_eq!(team_items.len(), USERS * PER_USER / 10);
    let team0 = Event::by_team(&db).hash("team0").all().await.unwrap();
    let expected: BTreeSet<(String, String, String, String)> = all_events()
        .into_iter()
        .filter(|e| e.team.as_deref() == Some("team0"))
        .map(|e| (e.user, e.at, e.kind, e.team.unwrap_or_default()))
        .collect();
    let got: BTreeSet<_> = team0
        .into_iter()
        .map(|item: EventByTeamItem| (item.user, item.at, item.kind, item.team))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        Event::by_team(&db)
            .scan()
            .parallel(2)
            .count()
            .await
            .unwrap(),
        120
    );
}

/// What a listing of events needs.
#[derive(Document, Debug, Clone, PartialEq)]
struct EventScore {
    at: String,
    score: u32,
}

#[tokio::test]
async fn filters_count_returned_items_and_resume_after_the_last_one() {
    let (db, fresh) = seeded().await;
    let f = Event::fields();

    // 3 of each user's 300 events match. Pages of 2 stop inside DynamoDB's
    // page; the cursor continues after the last item returned, so the third
    // match is neither skipped nor repeated.
    for request_limit in [None, Some(25)] {
        let (items, pages) = walk(|cursor| {
            let db = fresh();
            async move {
                let mut query = Event::query(&db)
                    .hash("u0")
                    .filter(Event::fields().score.eq(7))
                    .limit(2);
                if let Some(n) = request_limit {
                    query = query.request_limit(n);
                }
                if let Some(cursor) = cursor {
                    query = query.start_after(cursor);
                }
                let page = query.page().await?;
                assert!(page.items.len() <= 2);
                Ok(page)
            }
        })
        .await;
        let expected: Vec<Event> = [7, 107, 207].map(|i| event(0, i)).into();
        assert_eq!(items, expected, "request limit {request_limit:?}");
        assert_eq!(pages, 2);
    }

    // A limit on a stream counts returned items, across requests of 10.
    let first: Vec<Event> = Event::query(&db)
        .hash("u1")
        .filter(f.score.lt(3))
        .request_limit(10)
        .limit(4)
        .all()
        .await
        .unwrap();
    assert_eq!(first, [0, 1, 2, 100].map(|i| event(1, i)));

    // A scan discarding 95%: pages of 13 cover the 60 matches exactly once.
    let (items, _) = walk(|cursor| {
        let db = fresh();
        async move {
            let mut scan = Event::scan(&db)
                .filter(Event::fields().score.lt(5))
                .limit(13);
            if let Some(cursor) = cursor {
                scan = scan.start_after(cursor);
            }
            scan.page().await
        }
    })
    .await;
    let matching = |e: &Event| e.score < 5;
    let expected: Vec<Event> = all_events().into_iter().filter(matching).collect();
    assert_eq!(expected.len(), 60);
    assert_same_events(items, expected.clone());
    let parallel = Event::scan(&db)
        .filter(f.score.lt(5))
        .request_limit(100)
        .parallel(4)
        .all()
        .await
        .unwrap();
    assert_same_events(parallel, expected);

    // Counting applies the filter, and the limit to what matches.
    let count = |filter| {
        let db = db.clone();
        async move {
            Event::query(&db)
                .hash("u2")
                .filter(filter)
                .count()
                .await
                .unwrap()
        }
    };
    assert_eq!(count(f.score.lt(10)).await, 30);
    assert_eq!(count(f.kind.eq("buy") & f.team.exists()).await, 10);
    assert_eq!(
        Event::scan(&db)
            .filter(f.score.lt(10))
            .limit(7)
            .count()
            .await
            .unwrap(),
        7
    );
    assert_eq!(
        Event::scan(&db)
            .filter(f.score.lt(10))
            .parallel(3)
            .count()
            .await
            .unwrap(),
        120
    );

    // A projection reads a partial type, and its cursors still work: the
    // keys are read too.
    let (scores, _) = walk(|cursor| {
        let db = fresh();
        async move {
            let mut query = Event::query(&db)
                .hash("u3")
                .descending()
                .filter(Event::fields().kind.eq("view"))
                .project::<EventScore>()
                .limit(30);
            if let Some(cursor) = cursor {
                query = query.start_after(cursor);
            }
            query.page().await
        }
    })
    .await;
    let expected: Vec<EventScore> = of_user(3)
        .into_iter()
        .rev()
        .filter(|e| e.kind == "view")
        .map(|e| EventScore {
            at: e.at,
            score: e.score,
        })
        .collect();
    assert_eq!(scores, expected);
    let projected = Event::by_team(&db)
        .hash("team1")
        .project::<EventScore>()
        .all()
        .await
        .unwrap_err();
    // The index holds no score: refused before sending, naming it.
    assert!(projected.is_invalid_value(), "{projected}");
    assert!(
        projected.to_string().contains("global index `by-team` does not hold attribute `score` (only its keys, the table's keys, `kind`)"),
        "{projected}"
    );
    let sizes = Event::by_size(&db)
        .hash("u0")
        .range(|size| size.lt(100))
        .project::<EventScore>()
        .all()
        .await
        .unwrap();
    // A local index fetches what it does not hold from the table.
    assert_eq!(
        sizes.len(),
        of_user(0).iter().filter(|e| e.size < 100).count()
    );
}

#[tokio::test]
async fn cursors_from_elsewhere_are_refused() {
    let (db, _) = clients().await;
    Event::create_table(&db).await.unwrap();
    for i in 0..6 {
        Event::save(&db, &event(0, i)).await.unwrap();
        Event::save(&db, &event(1, i)).await.unwrap();
    }
    let query_cursor = Event::query(&db)
        .hash("u0")
        .limit(2)
        .page()
        .await
        .unwrap()
        .cursor
        .unwrap();
    let index_cursor = Event::by_kind(&db)
        .hash("click")
        .limit(1)
        .page()
        .await
        .unwrap()
        .cursor
        .unwrap();
    let scan_cursor = Event::scan(&db)
        .limit(2)
        .page()
        .await
        .unwrap()
        .cursor
        .unwrap();
    let segment_cursor = Event::scan(&db)
        .segment(0, 1)
        .limit(2)
        .page()
        .await
        .unwrap()
        .cursor
        .unwrap();

    let refused = |result: dynamo_model::Result<Page<Event>>| {
        let error = result.unwrap_err();
        assert!(error.is_invalid_cursor(), "{error}");
        error.to_string()
    };
    let message = refused(Event::scan(&db).start_after(&query_cursor).page().await);
    assert!(
        message.contains("comes from a query, and this is a scan"),
        "{message}"
    );
    let message = refused(
        Event::query(&db)
            .hash("u0")
            .start_after(&index_cursor)
            .page()
            .await,
    );
    assert!(
        message.contains("comes from index `by_kind`, and this query reads the table itself"),
        "{message}"
    );
    let message = refused(
        Event::query(&db)
            .hash("u1")
            .start_after(&query_cursor)
            .page()
            .await,
    );
    assert!(message.contains("another `user`"), "{message}");
    let message = refused(Event::scan(&db).start_after(&segment_cursor).page().await);
    assert!(
        message.contains("segment 0 of 1, and this is an unsegmented scan"),
        "{message}"
    );
    let message = refused(Event::scan(&db).start_after("not a cursor").page().await);
    assert!(message.contains("not a dynamo-model cursor"), "{message}");
    let error = Event::by_kind(&db)
        .scan()
        .start_after(&scan_cursor)
        .count()
        .await
        .unwrap_err();
    assert!(error.is_invalid_cursor());

    // The cursors do resume where they belong.
    let rest = Event::query(&db)
        .hash("u0")
        .start_after(&query_cursor)
        .all()
        .await
        .unwrap();
    assert_eq!(rest, of_user(0)[2..6]);
    let rest = Event::by_kind(&db)
        .hash("click")
        .start_after(&index_cursor)
        .all()
        .await
        .unwrap();
    assert_eq!(rest.len(), 3); // two clicks per user in 0..6, one read before

    // Nothing is sent with a limit of zero or a parallel scan with a cursor.
    let error = Event::query(&db)
        .hash("u0")
        .limit(0)
        .all()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("limit(0)"), "{error}");
    let error = Event::scan(&db)
        .start_after(scan_cursor)
        .parallel(2)
        .all()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("resume each .segment(i, n)"),
        "{error}"
    );
    let error = Event::scan(&db).segment(3, 3).page().await.unwrap_err();
    assert!(
        error.to_string().contains("segment 3 of 3 does not exist"),
        "{error}"
    );
}

#[tokio::test]
async fn signed_cursors_resume_with_the_key_and_refuse_anything_else() {
    let (db, fresh) = seeded().await;
    let secret = b"0123456789abcdef0123456789abcdef";
    let signing = || fresh().with_cursor_key(secret);
    let first = Event::query(&signing())
        .hash("u3")
        .limit(100)
        .page()
        .await
        .unwrap();
    let cursor = first.cursor.expect("more after 100");

    // Another process with the same key resumes where the page stopped.
    let rest: Vec<Event> = Event::query(&signing())
        .hash("u3")
        .start_after(cursor.clone())
        .all()
        .await
        .unwrap();
    assert_eq!([first.items, rest].concat(), of_user(3));

    let refused = |error: dynamo_model::Error| {
        assert!(error.is_invalid_cursor(), "{error:?}");
        error.to_string()
    };
    // A web client that edits the cursor: one character changed.
    let mut tampered = cursor.clone().into_bytes();
    let at = tampered.len() / 2;
    tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let error = Event::query(&signing())
        .hash("u3")
        .start_after(tampered)
        .page()
        .await;
    assert!(refused(error.unwrap_err()).contains("signature does not match"));
    // Another key, an unsigned cursor, a client without the key.
    let other = fresh().with_cursor_key(b"another secret");
    let error = Event::query(&other)
        .hash("u3")
        .start_after(cursor.clone())
        .page()
        .await;
    assert!(refused(error.unwrap_err()).contains("signature does not match"));
    let plain = Event::query(&db)
        .hash("u3")
        .limit(100)
        .page()
        .await
        .unwrap();
    let error = Event::query(&signing())
        .hash("u3")
        .start_after(plain.cursor.unwrap())
        .page()
        .await;
    assert!(refused(error.unwrap_err()).contains("not signed"));
    let error = Event::query(&db)
        .hash("u3")
        .start_after(cursor)
        .page()
        .await;
    assert!(refused(error.unwrap_err()).contains("no cursor key"));
}

#[tokio::test]
async fn key_values_are_checked_before_sending() {
    let (db, _) = clients().await;
    // No table: an empty key value fails before any request is made.
    let error = Event::query(&db).hash("").all().await.unwrap_err();
    assert!(error.is_invalid_value(), "{error}");
    assert!(error.to_string().contains("`user`"), "{error}");
    // Nor can an item be written with an empty index key (a `None` sparse
    // key is fine: the item is just not in the index).
    let mut blank = event(0, 1);
    blank.kind = String::new();
    let error = Event::save(&db, &blank).await.unwrap_err();
    assert!(error.is_invalid_value(), "{error}");
    assert!(error.to_string().contains("`kind`"), "{error}");
    let error = Event::query(&db)
        .hash("u0")
        .range(|at| at.begins_with(""))
        .count()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("`at`"), "{error}");
}

/// A catalog whose indexes declare projections and throughput.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "catalog")]
struct Product {
    #[model(hash_key)]
    sku: String,
    #[model(range_key)]
    variant: u32,
    #[model(global_index(name = "by_maker", hash_key, throughput(read = 3, write = 4)))]
    maker: String,
    #[model(
        global_index(name = "by_price", hash_key, keys_only),
        local_index(name = "local_price", range_key, include(name))
    )]
    price: u64,
    #[model(rename = "productName")]
    name: String,
}

fn index_description(
    table: &TableDescription,
    name: &str,
) -> (Option<ProjectionType>, Vec<String>, Option<(i64, i64)>) {
    let global = table
        .global_secondary_indexes()
        .iter()
        .find(|i| i.index_name() == Some(name));
    let local = table
        .local_secondary_indexes()
        .iter()
        .find(|i| i.index_name() == Some(name));
    let projection = global
        .and_then(|i| i.projection())
        .or_else(|| local.and_then(|i| i.projection()))
        .expect("the index exists");
    let throughput = global.and_then(|i| i.provisioned_throughput()).map(|t| {
        (
            t.read_capacity_units().unwrap_or(0),
            t.write_capacity_units().unwrap_or(0),
        )
    });
    (
        projection.projection_type().cloned(),
        projection.non_key_attributes().to_vec(),
        throughput,
    )
}

#[tokio::test]
async fn create_table_builds_every_index() {
    let (db, _) = clients().await;
    Product::create_table(&db).provisioned(2, 2).await.unwrap();
    let table = db
        .sdk()
        .describe_table()
        .table_name(db.table_name::<Product>())
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    let mut defined: Vec<_> = table
        .attribute_definitions()
        .iter()
        .map(|d| {
            (
                d.attribute_name().to_owned(),
                d.attribute_type().as_str().to_owned(),
            )
        })
        .collect();
    defined.sort();
    let expected = [
        ("maker", "S"),
        ("price", "N"),
        ("sku", "S"),
        ("variant", "N"),
    ];
    assert_eq!(defined, expected.map(|(n, t)| (n.to_owned(), t.to_owned())));

    assert_eq!(
        index_description(&table, "by_maker"),
        (Some(ProjectionType::All), vec![], Some((3, 4)))
    );
    assert_eq!(
        index_description(&table, "by_price"),
        (Some(ProjectionType::KeysOnly), vec![], Some((2, 2)))
    );
    assert_eq!(
        index_description(&table, "local_price"),
        (
            Some(ProjectionType::Include),
            vec!["productName".to_owned()],
            None
        )
    );

    let lamp = Product {
        sku: "lamp".into(),
        variant: 1,
        maker: "acme".into(),
        price: 40,
        name: "Desk lamp".into(),
    };
    Product::save(&db, &lamp).await.unwrap();
    let by_price = Product::by_price(&db).hash(40).all().await.unwrap();
    assert_eq!(
        by_price,
        vec![ProductByPriceItem {
            sku: "lamp".into(),
            variant: 1,
            price: 40
        }]
    );
    let local = Product::local_price(&db)
        .hash("lamp")
        .range(|p| p.le(40))
        .all()
        .await
        .unwrap();
    assert_eq!(
        local,
        vec![ProductLocalPriceItem {
            sku: "lamp".into(),
            variant: 1,
            price: 40,
            name: "Desk lamp".into()
        }]
    );
    assert_eq!(
        Product::by_maker(&db).hash("acme").all().await.unwrap(),
        vec![lamp]
    );

    // On demand, the declared index throughput is not sent.
    let (db, _) = clients().await;
    Product::create_table(&db).await.unwrap();
}

fn key(event: &Event) -> (String, String) {
    (event.user.clone(), event.at.clone())
}

/// The same events, each exactly once, in any order.
fn assert_same_events(got: Vec<Event>, expected: Vec<Event>) {
    let count = got.len();
    let keys: BTreeSet<_> = got.iter().map(key).collect();
    assert_eq!(keys.len(), count, "an item came twice");
    let mut got = got;
    let mut expected = expected;
    got.sort_by_key(key);
    expected.sort_by_key(key);
    assert_eq!(got, expected);
}

#[test]
fn index_item_decode_errors_name_the_item_by_its_key() {
    use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
    use dynamo_model::index::Index;

    let item = [
        ("user", AttributeValue::S("u1".into())),
        ("at", AttributeValue::S("2024-0001".into())),
        ("team", AttributeValue::S("team1".into())),
        ("kind", AttributeValue::N("3".into())),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    let error = EventByTeamIndex::from_index_item(item).unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"Event: cannot read attribute `kind` of item {user: "u1", at: "2024-0001"}: expected type S, found type N"#
    );
}
