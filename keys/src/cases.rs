//! The case register as data: the list with deadlines and filters, one case's file
//! (its thread opened, its history as typed events), and the changes a coördinator
//! makes (status, registration of a melding by another channel, notes). Every
//! function returns values; the faces word and print them.

use std::collections::HashSet;

use meldpunt_envelope::domain::{
    AFDOENINGEN, Code, Event, ItemKind, Kanaal, MELDERS, OVER_WIE, SOORTEN, Term, find,
    is_valid_day, is_valid_slug,
};
use meldpunt_envelope::melding::{self, Melding};

use crate::days::{self, Deadline};
use crate::error::{Error, Field, Result};
use crate::session::Session;
use crate::store::{CaseRow, Changes, Entry, Filter, HistoryLine, NewRegistration};

/// The channels a melding can come in by (the envelope's vocabulary).
pub use meldpunt_envelope::domain::KANALEN;

/// A code from one of the domain lists, checked.
pub fn check_code(what: Field, list: &[Term], code: &str) -> Result<String> {
    match find(list, code) {
        Some(t) => Ok(t.code.to_string()),
        None => Err(Error::InvalidCode(what, code.to_string())),
    }
}

/// A day (`YYYY-MM-DD`), checked.
pub fn check_day(day: &str) -> Result<String> {
    if is_valid_day(day) {
        Ok(day.to_string())
    } else {
        Err(Error::InvalidDay(day.to_string()))
    }
}

/// A registration's codes and day checked, as the store takes it (without the text).
fn checked(r: &Registration, today: &str) -> Result<NewRegistration> {
    let kanaal = match Kanaal::from_code(&r.kanaal) {
        Some(k) if k.is_registered_by_hand() => k.code().to_string(),
        _ => return Err(Error::InvalidCode(Field::Kanaal, r.kanaal.clone())),
    };
    if !is_valid_slug(&r.organisatie) {
        return Err(Error::InvalidCode(
            Field::Organisatie,
            r.organisatie.clone(),
        ));
    }
    let soort = check_code(Field::Soort, SOORTEN, &r.soort)?;
    let melder = r
        .melder
        .as_deref()
        .map(|m| check_code(Field::Melder, MELDERS, m))
        .transpose()?;
    let over_wie = r
        .over_wie
        .as_deref()
        .map(|m| check_code(Field::OverWie, OVER_WIE, m))
        .transpose()?;
    let received = match &r.received {
        Some(d) => check_day(d)?,
        None => today.to_string(),
    };
    Ok(NewRegistration {
        kanaal,
        organisatie: r.organisatie.clone(),
        soort,
        melder,
        over_wie,
        received,
        ciphertext: Vec::new(),
    })
}

/// Where a case stands with both legal deadlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadlines {
    pub ack: Deadline,
    pub feedback: Deadline,
}

impl Deadlines {
    pub fn of(c: &CaseRow, today: &str) -> Deadlines {
        Deadlines {
            ack: Deadline::of(
                c.acknowledged.as_deref(),
                &days::ack_due(&c.received),
                today,
            ),
            feedback: Deadline::of(
                c.feedback.as_deref(),
                &days::feedback_due(&c.received, c.acknowledged.as_deref()),
                today,
            ),
        }
    }

    /// Days the case is overdue, if it is.
    pub fn overdue(&self) -> Option<i64> {
        self.ack.overdue_days().max(self.feedback.overdue_days())
    }
}

/// One line of the case list.
#[derive(Debug, Clone)]
pub struct CaseSummary {
    pub case: CaseRow,
    pub deadlines: Deadlines,
}

/// Which cases [`Session::cases`] lists.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub store: Filter,
    /// Only cases past a deadline.
    pub overdue_only: bool,
}

/// One entry of a case's thread, opened.
#[derive(Debug, Clone)]
pub enum ThreadEntry {
    /// A melding registered by hand (another channel than the online meldpunt).
    Registration { day: String, text: String },
    /// A melding or vervolg from the online meldpunt; `stored[i]` says whether the
    /// laptop holds attachment `i` the melding names.
    Item {
        id: String,
        day: String,
        melding: Box<Melding>,
        stored: Vec<bool>,
    },
    /// A reply of the meldpunt; `exported` is the day it went into an export.
    Reply {
        day: String,
        text: String,
        exported: Option<String>,
    },
    /// A note for the meldpunt only.
    Note { day: String, text: String },
}

/// A change of one oversight field, as the history records it (codes, `None` for
/// "not set").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub old: Option<String>,
    pub new: String,
}

/// What happened to a case, one history line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HistoryEvent {
    /// The case was made (the code of the kanaal it came in by).
    Created {
        kanaal: String,
    },
    /// An item was imported; `received` is the day the server received it.
    MeldingImported {
        received: String,
    },
    VervolgImported {
        received: String,
    },
    AttachmentImported {
        received: String,
    },
    ReplyWritten,
    ReplyExported,
    NoteAdded,
    /// Attachments were saved to a folder (`extract`).
    AttachmentsSaved {
        count: String,
    },
    Acknowledged {
        day: String,
    },
    FeedbackGiven {
        day: String,
    },
    Afdoening(FieldChange),
    Soort(FieldChange),
    Melder(FieldChange),
    OverWie(FieldChange),
    Organisatie {
        detail: String,
    },
    /// An event this version does not know (a newer store): kept, shown as it is.
    Other {
        event: String,
        detail: String,
    },
}

impl HistoryEvent {
    /// The event from its stored form (event name and detail).
    pub fn from_stored(event: &str, detail: &str) -> HistoryEvent {
        let change = || {
            let (old, new) = detail.split_once(" -> ").unwrap_or(("-", detail));
            FieldChange {
                old: (old != "-").then(|| old.to_string()),
                new: new.to_string(),
            }
        };
        let d = || detail.to_string();
        let Some(known) = Event::from_code(event) else {
            return HistoryEvent::Other {
                event: event.to_string(),
                detail: d(),
            };
        };
        match known {
            Event::Aangemaakt => HistoryEvent::Created { kanaal: d() },
            Event::Melding => HistoryEvent::MeldingImported { received: d() },
            Event::Vervolg => HistoryEvent::VervolgImported { received: d() },
            Event::Bijlage => HistoryEvent::AttachmentImported { received: d() },
            Event::Reactie => HistoryEvent::ReplyWritten,
            Event::ReactieGeexporteerd => HistoryEvent::ReplyExported,
            Event::Notitie => HistoryEvent::NoteAdded,
            Event::BijlagenOpgeslagen => HistoryEvent::AttachmentsSaved { count: d() },
            Event::Ontvangstbevestiging => HistoryEvent::Acknowledged { day: d() },
            Event::Terugkoppeling => HistoryEvent::FeedbackGiven { day: d() },
            Event::Afdoening => HistoryEvent::Afdoening(change()),
            Event::Soort => HistoryEvent::Soort(change()),
            Event::Melder => HistoryEvent::Melder(change()),
            Event::OverWie => HistoryEvent::OverWie(change()),
            Event::Organisatie => HistoryEvent::Organisatie { detail: d() },
        }
    }
}

/// One history line: the day and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub day: String,
    pub event: HistoryEvent,
}

impl From<&HistoryLine> for HistoryEntry {
    fn from(h: &HistoryLine) -> Self {
        HistoryEntry {
            day: h.day.clone(),
            event: HistoryEvent::from_stored(&h.event, &h.detail),
        }
    }
}

/// One case with everything the laptop holds about it, opened.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub case: CaseRow,
    pub deadlines: Deadlines,
    pub thread: Vec<ThreadEntry>,
    pub history: Vec<HistoryEntry>,
}

/// A melding that came in by another channel, to register.
#[derive(Debug, Clone)]
pub struct Registration {
    /// A code of [`KANALEN`], not `meldpunt`.
    pub kanaal: String,
    pub organisatie: String,
    pub soort: String,
    pub melder: Option<String>,
    pub over_wie: Option<String>,
    /// The day it came in (`YYYY-MM-DD`); today if `None`.
    pub received: Option<String>,
}

/// New values for a case's oversight fields; `None` leaves a field as it is. Days are
/// `YYYY-MM-DD`; codes are checked by [`Session::update_status`].
pub type StatusChange = Changes;

/// What [`Session::update_status`] did.
#[derive(Debug, Clone)]
pub struct StatusOutcome {
    /// Fields that changed (history lines written); 0 if everything already was so.
    pub changed: usize,
    /// The case after the change.
    pub case: CaseRow,
}

fn opened(e: meldpunt_envelope::Error, what: &str) -> Error {
    Error::Internal(format!("a stored {what} no longer opens: {e}"))
}

impl Session {
    /// One case by its number, or [`Error::CaseNotFound`].
    pub fn case(&self, number: &str) -> Result<CaseRow> {
        self.store()
            .case(number)?
            .ok_or_else(|| Error::CaseNotFound(number.to_string()))
    }

    /// The cases with their deadlines on `today`: overdue ones first (most overdue at
    /// the top), then in the store's order. Needs no keys.
    pub fn cases(&self, f: &ListFilter, today: &str) -> Result<Vec<CaseSummary>> {
        let mut rows: Vec<CaseSummary> = self
            .store()
            .cases(&f.store)?
            .into_iter()
            .map(|case| CaseSummary {
                deadlines: Deadlines::of(&case, today),
                case,
            })
            .filter(|c| !f.overdue_only || c.deadlines.overdue().is_some())
            .collect();
        rows.sort_by_key(|c| std::cmp::Reverse(c.deadlines.overdue()));
        Ok(rows)
    }

    /// One case's file: the thread opened with the keys, the history as events.
    pub fn case_file(&self, number: &str, today: &str) -> Result<CaseFile> {
        let case = self.case(number)?;
        let store = self.store();
        let thread = store.thread(case.id)?;
        let history = store.history(case.id)?;
        let stored: HashSet<(String, i64)> = store
            .attachments(case.id)?
            .into_iter()
            .map(|a| (a.parent, a.idx))
            .collect();
        let keys = self.keys()?;
        let ids = keys.ids();
        let mut entries = Vec::with_capacity(thread.len());
        for entry in thread {
            entries.push(match entry {
                Entry::Item {
                    kind: Code::Known(ItemKind::Registratie),
                    day,
                    ciphertext,
                    ..
                } => {
                    let r =
                        crate::private::open(&ciphertext, &ids).map_err(|e| opened(e, "text"))?;
                    ThreadEntry::Registration { day, text: r.text }
                }
                Entry::Item {
                    id,
                    day,
                    ciphertext,
                    ..
                } => {
                    let m = melding::open(&ciphertext, &ids).map_err(|e| opened(e, "item"))?;
                    let stored = (0..m.attachments.len())
                        .map(|i| stored.contains(&(id.clone(), i as i64)))
                        .collect();
                    ThreadEntry::Item {
                        id,
                        day,
                        melding: Box::new(m),
                        stored,
                    }
                }
                Entry::Reply {
                    day,
                    own_copy,
                    exported,
                } => {
                    let r =
                        crate::private::open(&own_copy, &ids).map_err(|e| opened(e, "reply"))?;
                    ThreadEntry::Reply {
                        day,
                        text: r.text,
                        exported,
                    }
                }
                Entry::Note { day, ciphertext } => {
                    let r =
                        crate::private::open(&ciphertext, &ids).map_err(|e| opened(e, "note"))?;
                    ThreadEntry::Note { day, text: r.text }
                }
            });
        }
        Ok(CaseFile {
            deadlines: Deadlines::of(&case, today),
            case,
            thread: entries,
            history: history.iter().map(HistoryEntry::from).collect(),
        })
    }

    /// Checks a registration without storing anything, so a face can refuse bad codes
    /// before it asks for the text.
    pub fn check_registration(&self, r: &Registration) -> Result<()> {
        checked(r, "").map(drop)
    }

    /// Registers a melding that came in by another channel, with its text (sealed to
    /// the meldpunt's own keys). Needs no passphrase. Returns the new case number.
    pub fn register(&mut self, r: &Registration, text: &str, today: &str) -> Result<String> {
        let mut new = checked(r, today)?;
        new.ciphertext =
            crate::private::seal(&new.received, text.trim_end(), &self.public().recipients()?)?;
        self.store_mut().register(&new, today)
    }

    /// Adds a note (sealed to the meldpunt's own keys) to a case. Needs no passphrase.
    pub fn add_note(&mut self, number: &str, text: &str, today: &str) -> Result<()> {
        let case = self.case(number)?;
        let sealed = crate::private::seal(today, text.trim_end(), &self.public().recipients()?)?;
        self.store_mut().add_note(case.id, today, &sealed)
    }

    /// Changes a case's oversight fields; each change is a history line. Nothing given
    /// is [`Error::NothingToChange`]; a day before the case was received is refused.
    pub fn update_status(
        &mut self,
        number: &str,
        s: &StatusChange,
        today: &str,
    ) -> Result<StatusOutcome> {
        let case = self.case(number)?;
        let day = |d: &Option<String>| -> Result<Option<String>> {
            let Some(d) = d else { return Ok(None) };
            let d = check_day(d)?;
            if d < case.received {
                return Err(Error::DayBeforeReceipt(d, case.received.clone()));
            }
            Ok(Some(d))
        };
        let code = |what, list, v: &Option<String>| -> Result<Option<String>> {
            v.as_deref().map(|v| check_code(what, list, v)).transpose()
        };
        let changes = Changes {
            afdoening: code(Field::Afdoening, AFDOENINGEN, &s.afdoening)?,
            acknowledged: day(&s.acknowledged)?,
            feedback: day(&s.feedback)?,
            organisatie: match &s.organisatie {
                Some(o) if !is_valid_slug(o) => {
                    return Err(Error::InvalidCode(Field::Organisatie, o.clone()));
                }
                o => o.clone(),
            },
            soort: code(Field::Soort, SOORTEN, &s.soort)?,
            melder: code(Field::Melder, MELDERS, &s.melder)?,
            over_wie: code(Field::OverWie, OVER_WIE, &s.over_wie)?,
        };
        let given = [
            &changes.afdoening,
            &changes.acknowledged,
            &changes.feedback,
            &changes.organisatie,
            &changes.soort,
            &changes.melder,
            &changes.over_wie,
        ]
        .iter()
        .any(|c| c.is_some());
        if !given {
            return Err(Error::NothingToChange);
        }
        let changed = self.store_mut().update(&case, &changes, today)?;
        Ok(StatusOutcome {
            changed,
            case: self.case(number)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_events_from_the_store() {
        assert_eq!(
            HistoryEvent::from_stored("afdoening", "in-behandeling -> gegrond"),
            HistoryEvent::Afdoening(FieldChange {
                old: Some("in-behandeling".into()),
                new: "gegrond".into()
            })
        );
        assert_eq!(
            HistoryEvent::from_stored("soort", "- -> fraude"),
            HistoryEvent::Soort(FieldChange {
                old: None,
                new: "fraude".into()
            })
        );
        assert_eq!(
            HistoryEvent::from_stored("iets-nieuws", "x"),
            HistoryEvent::Other {
                event: "iets-nieuws".into(),
                detail: "x".into()
            }
        );
    }
}
