// The fixed choices of the form (codes with Dutch and English labels). Generated
// from meldpunt-envelope's domain.rs by `cargo xtask wasm`: do not edit by hand.
// It is a plain module so the first view needs no WebAssembly.

export const VOCABULARY = {
  "soorten": [
    {
      "code": "pesten",
      "label": "Ongewenste omgangsvormen: pesten",
      "label_en": "Undesirable behaviour: bullying"
    },
    {
      "code": "intimidatie",
      "label": "Ongewenste omgangsvormen: intimidatie",
      "label_en": "Undesirable behaviour: intimidation"
    },
    {
      "code": "seksuele-intimidatie",
      "label": "Ongewenste omgangsvormen: seksuele intimidatie",
      "label_en": "Undesirable behaviour: sexual harassment"
    },
    {
      "code": "agressie-en-geweld",
      "label": "Ongewenste omgangsvormen: agressie en geweld",
      "label_en": "Undesirable behaviour: aggression and violence"
    },
    {
      "code": "discriminatie",
      "label": "Ongewenste omgangsvormen: discriminatie",
      "label_en": "Undesirable behaviour: discrimination"
    },
    {
      "code": "belangenverstrengeling",
      "label": "Belangenverstrengeling (ook nevenwerkzaamheden, financiële belangen)",
      "label_en": "Conflict of interest (including outside work, financial interests)"
    },
    {
      "code": "misbruik-bevoegdheden",
      "label": "Misbruik van bevoegdheden",
      "label_en": "Abuse of powers"
    },
    {
      "code": "fraude-corruptie",
      "label": "Fraude en corruptie",
      "label_en": "Fraud and corruption"
    },
    {
      "code": "datalek-privacy",
      "label": "Datalek of privacyschending",
      "label_en": "Data breach or privacy violation"
    },
    {
      "code": "geschenken-giften",
      "label": "Geschenken en giften",
      "label_en": "Gifts and hospitality"
    },
    {
      "code": "maatschappelijke-misstand",
      "label": "Misstand met maatschappelijk belang",
      "label_en": "Wrongdoing of public concern"
    },
    {
      "code": "overig",
      "label": "Overig",
      "label_en": "Other"
    }
  ],
  "over_wie": [
    {
      "code": "medewerker",
      "label": "Een medewerker",
      "label_en": "An employee"
    },
    {
      "code": "leidinggevende",
      "label": "Een leidinggevende",
      "label_en": "A manager"
    },
    {
      "code": "bestuurder",
      "label": "Een bestuurder (politieke ambtsdrager)",
      "label_en": "An office holder (political)"
    },
    {
      "code": "extern",
      "label": "Een externe partij",
      "label_en": "An external party"
    },
    {
      "code": "onbekend",
      "label": "Weet ik niet of zeg ik liever niet",
      "label_en": "I don't know or would rather not say"
    }
  ],
  "melders": [
    {
      "code": "medewerker",
      "label": "Medewerker",
      "label_en": "Employee"
    },
    {
      "code": "extern",
      "label": "Externe medewerker, inhuur of stagiair",
      "label_en": "External staff, contractor or intern"
    },
    {
      "code": "inwoner",
      "label": "Inwoner",
      "label_en": "Inhabitant"
    },
    {
      "code": "ondernemer",
      "label": "Ondernemer",
      "label_en": "Business owner"
    },
    {
      "code": "anders",
      "label": "Anders, of zeg ik liever niet",
      "label_en": "Other, or I would rather not say"
    }
  ]
};
