//! Search's count of the article bodies of a full build, begun while the content is still
//! being parsed.
//!
//! Parsing goes a batch at a time: the pool parses a batch, then one thread appends its
//! body texts to the parse cache while the other cores wait. Counting the words of the
//! bodies (most of what indexing costs) is done on a thread of its own fed each parsed
//! batch, so it runs in that wait instead of beside the pages. The search index then takes
//! each body's count by the article's version ([`BodyTallies::finish`]) and counts only
//! the small fields itself, reading no body back. The counts are the same words with the
//! same weights as counting the whole article at once.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use crate::content::body::BodyText;
use crate::search::{BodyTally, SiteLexicon, tally_body};

/// Body texts of a parsed batch, by article version.
type Batch = Vec<(u64, Arc<BodyText>)>;

/// The counting thread, until it is asked for its counts.
pub struct BodyTallies {
    sender: Option<Sender<Batch>>,
    worker: Option<JoinHandle<HashMap<u64, BodyTally>>>,
}

impl BodyTallies {
    /// Starts counting bodies with `lexicon` as batches come. Without a thread (none can
    /// be made), nothing is counted ahead: the index counts every body itself.
    pub fn start(lexicon: SiteLexicon) -> BodyTallies {
        let (sender, receiver) = channel();
        let worker = std::thread::Builder::new()
            .name("qissa-bodies".to_string())
            .spawn(move || count_all(&receiver, &lexicon))
            .ok();
        BodyTallies {
            sender: worker.is_some().then_some(sender),
            worker,
        }
    }

    /// Hands over the bodies of one parsed batch.
    pub fn send(&self, batch: Batch) {
        if let Some(sender) = &self.sender
            && !batch.is_empty()
        {
            // The thread only stops once the sender is gone: sending cannot fail before.
            let _ = sender.send(batch);
        }
    }

    /// No more batches: the thread finishes what it has.
    pub fn close(&mut self) {
        self.sender = None;
    }

    /// Every body counted, by article version, once the thread is done (it was closed).
    pub fn finish(mut self) -> HashMap<u64, BodyTally> {
        self.close();
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(counts)) => counts,
            // A panic while counting is a bug: let it surface as one.
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => HashMap::new(),
        }
    }
}

fn count_all(batches: &Receiver<Batch>, lexicon: &SiteLexicon) -> HashMap<u64, BodyTally> {
    let mut counts = HashMap::new();
    for batch in batches {
        for (version, body) in batch {
            counts.insert(version, tally_body(&body.text, lexicon));
        }
    }
    counts
}
