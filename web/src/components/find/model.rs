//! The form's words: a question's defaults for a world, an answer as the sentence the panel
//! shows, the choices the fields suggest. Pure, so native tests read them.

use sgplay_core::analysis::find::{Answer, QuestionField, QuestionText};
use sgplay_core::{Verdict, World};

/// Where a new question starts: from the Internet, to the first instance, SSH, allowed.
pub fn default_question(world: Option<&World>) -> QuestionText {
    QuestionText {
        from: "internet".into(),
        to: world.and_then(|w| w.instances.first()).map(|i| i.name.clone()).unwrap_or_default(),
        protocol: "tcp".into(),
        ports: "22".into(),
        verdict: Verdict::Allow,
    }
}

/// The `data-testid` and `id` stem of a field.
pub fn field_key(field: QuestionField) -> &'static str {
    match field {
        QuestionField::From => "from",
        QuestionField::To => "to",
        QuestionField::Protocol => "protocol",
        QuestionField::Ports => "ports",
    }
}

/// What the suggestion lists offer: every instance's name and every group's id (sources also
/// `internet`), each with what it is.
pub fn choices(world: &World, sources: bool) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(world.instances.len() + world.security_groups.len() + 1);
    if sources {
        out.push(("internet".to_string(), "every address outside the VPCs".to_string()));
    }
    out.extend(world.instances.iter().map(|i| (i.name.clone(), format!("instance {}", i.id))));
    out.extend(world.security_groups.iter().map(|g| (g.id.clone(), format!("the members of {}", g.name))));
    out
}

/// The headline and the detail of an answer; `verdict` is the one asked for.
pub fn describe(answer: &Answer, verdict: Verdict) -> (String, String) {
    let word = if verdict == Verdict::Allow { "allowed" } else { "denied" };
    match answer {
        Answer::Found { packet } => {
            let article = if verdict == Verdict::Allow { "an" } else { "a" };
            (format!("Found {article} {word} packet"), packet.to_string())
        }
        Answer::NoneExists { tried } => (
            format!("None exists: no packet of this question is {word}"),
            format!(
                "A proof, not a sample: {tried} representative packet{} (one per class of sources, ports and protocols that the rules cannot tell apart) cover every packet the question asks about.",
                if *tried == 1 { "" } else { "s" }
            ),
        ),
        Answer::NotDecided { budget } => (
            "Not decided".to_string(),
            format!("The question needs more than {budget} representative packets. Narrow the sources, the destinations, the protocol or the ports."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::analysis::find::find;
    use sgplay_core::Matcher;

    fn world() -> World {
        crate::gallery::load(crate::gallery::DEFAULT_SLUG).expect("the default example").build().expect("valid").world
    }

    #[test]
    fn the_default_question_parses_against_its_world_and_every_choice_is_understood() {
        let w = world();
        let q = default_question(Some(&w));
        assert!(q.parse(&w).is_ok(), "{q:?}");
        for (value, _) in choices(&w, true) {
            let asked = QuestionText { from: value.clone(), ..q.clone() };
            assert!(asked.parse(&w).is_ok(), "source {value}");
        }
        for (value, _) in choices(&w, false) {
            let asked = QuestionText { to: value.clone(), ..q.clone() };
            assert!(asked.parse(&w).is_ok(), "destination {value}");
        }
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let w = world();
        let q = QuestionText {
            from: "nowhere".into(),
            to: "nobody".into(),
            protocol: "tcpp".into(),
            ports: "30-20".into(),
            verdict: Verdict::Allow,
        };
        let fields: Vec<&str> = q.parse(&w).unwrap_err().iter().map(|(f, _)| field_key(*f)).collect();
        assert_eq!(fields, ["from", "to", "protocol", "ports"]);
        let icmp = QuestionText { protocol: "icmp".into(), ..default_question(Some(&w)) };
        let problems = icmp.parse(&w).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].1.contains("only tcp and udp have ports"), "{problems:?}");
    }

    #[test]
    fn an_answer_reads_as_a_finding_or_a_proof() {
        let w = world();
        let m = Matcher::build(&w);
        let q = default_question(Some(&w)).parse(&w).unwrap();
        let answer = find(&w, &m, &q);
        let (head, detail) = describe(&answer, q.verdict);
        match answer {
            Answer::Found { packet } => {
                assert_eq!(head, "Found an allowed packet");
                assert_eq!(detail, packet.to_string());
                assert_eq!(m.decide(&packet), Verdict::Allow);
            }
            Answer::NoneExists { .. } => assert!(head.starts_with("None exists"), "{head}"),
            Answer::NotDecided { .. } => panic!("a two-group example is decided"),
        }
        let (head, detail) = describe(&Answer::NoneExists { tried: 1 }, Verdict::Deny);
        assert_eq!(head, "None exists: no packet of this question is denied");
        assert!(detail.contains("1 representative packet (one"), "{detail}");
    }
}
