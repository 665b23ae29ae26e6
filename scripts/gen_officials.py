#!/usr/bin/env python3
"""Derive config/gazetteer/officials_history.tsv from the Phoenix country actors dictionary (MIT).

Usage: python3 scripts/gen_officials.py \
           ../shared/gazetteer-sources/petrarch2/Phoenix.Countries.actors.txt \
           config/gazetteer/states.toml > config/gazetteer/officials_history.tsv

The dictionary dates some 18,000 people by the codes they held ("TONY_BLAIR_" was
[GBRGOV 970502-070627]). Everyone who held a government code (GOV, GOVMIL, ...) of a state in
states.toml that ran into 1990 or later is written out: the full name (two words at least,
so no bare surnames), the state of their latest government spell, the years served, and
the dictionary's own "title + surname", "surname administration" and other forms of the
name ("President Bush", "the Bush administration", "Dick Cheney" for Richard Cheney), which
the news uses for the state as often as the full name. Facts only; the dictionary stops in 2014-16 and `officials.toml` carries on from there.
"""
import re
import sys

PARTICLES = {"al", "el", "bin", "ibn", "de", "da", "di", "du", "del", "der", "den", "van",
             "von", "la", "le", "dos", "das", "ul", "ben", "bint"}
TITLES = ("PRESIDENT_", "PRIME_MINISTER_", "PREMIER_", "CHANCELLOR_", "KING_", "QUEEN_",
          "FOREIGN_MINISTER_", "DEFENSE_MINISTER_", "DEFENCE_MINISTER_", "SECRETARY_",
          "GENERAL_", "SHEIKH_", "EMIR_", "SULTAN_", "AYATOLLAH_", "VICE_PRESIDENT_",
          "VICE-PRESIDENT_", "DEFENSE_SECRETARY_", "DEFENCE_SECRETARY_", "FOREIGN_SECRETARY_",
          "HOME_SECRETARY_", "SECRETARY_OF_STATE_", "SECRETARY_OF_DEFENSE_")
# Words that make a synonym a description rather than another form of the name.
NOT_GIVEN = {"PRESIDENT", "MINISTER", "PRIME", "PREMIER", "CHANCELLOR", "KING", "QUEEN",
             "SECRETARY", "GENERAL", "SHEIKH", "EMIR", "SULTAN", "AYATOLLAH", "VICE", "MR",
             "MRS", "MS", "DR", "SIR", "LORD", "GOV", "GOVERNOR", "SENATOR", "SEN", "FORMER",
             "THE", "ADMINISTRATION", "GOVERNMENT", "LEADER", "CHIEF", "ENVOY", "AMBASSADOR",
             "SPOKESMAN", "COL", "GEN", "MAJOR", "CAPTAIN", "JUDGE", "JUSTICE"}
CODE = re.compile(r"\[([A-Z]{3})([A-Z]*)\s*([^\]]*)\]")


def words(phrase):
    return [w for w in phrase.strip().rstrip("_").split("_") if w]


def nice(ws):
    out = []
    for i, w in enumerate(ws):
        low = w.lower()
        if i > 0 and low in PARTICLES:
            out.append(low)
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def year(yymmdd):
    yy = int(yymmdd[:2])
    return 1900 + yy if yy > 30 else 2000 + yy


def spells(codes):
    """(state, first year, last year or None) of every GOV code with dates."""
    for code in codes:
        m = CODE.match(code)
        if not m or not m.group(2).startswith("GOV"):
            continue
        state, dates = m.group(1), m.group(3).strip()
        if dates.startswith(">"):
            yield state, year(dates[1:]), None
        elif "-" in dates:
            start, end = dates.split("-")
            yield state, year(start), year(end)


def main(actors_path, states_path):
    states = set(re.findall(r'^id = "([A-Z]{3})"', open(states_path).read(), re.M))
    entries, current = [], None
    for line in open(actors_path, encoding="utf-8", errors="replace"):
        if not line.strip() or line.startswith("#"):
            continue
        if line[0] in " \t":
            if current:
                current["codes"].append(line.strip())
        elif line.startswith("+"):
            if current:
                current["synonyms"].append(line[1:].split("#")[0].strip().upper())
        else:
            current = {"name": line.split("#")[0].strip(), "synonyms": [], "codes": []}
            entries.append(current)

    seen = set()
    rows = []
    for entry in entries:
        if "[" in entry["name"]:
            continue  # a country or group, not a person
        name_words = words(entry["name"])
        if not 2 <= len(name_words) <= 8 or not all(re.fullmatch(r"[A-Z][A-Z.'-]*", w) for w in name_words):
            continue
        spell = [s for s in spells(entry["codes"]) if s[0] in states and (s[2] is None or s[2] >= 1990)]
        if not spell:
            continue
        state, start, end = max(spell, key=lambda s: (s[2] or 9999, s[1]))
        first = min(s[1] for s in spell if s[0] == state)
        name = nice(name_words)
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        surname = name_words[-1]
        short = []
        if len(name_words) == 3 and all(len(w) <= 4 and w.isalpha() and w.lower() not in PARTICLES for w in name_words[1:]):
            # "Chen Shui Bian" is written "Chen Shui-bian", "Kim Jong Un" "Kim Jong-un".
            joined = nice(name_words[:2]) + "-" + name_words[2].lower()
            if joined.lower() not in seen:
                seen.add(joined.lower())
                short.append(joined)
        for synonym in entry["synonyms"]:
            ws = words(synonym)
            joined = "_".join(ws) + "_"
            titled = any(joined.startswith(t) for t in TITLES) and joined[:-1].endswith("_" + surname)
            titled = titled and len(ws) <= 4
            administration = ws[-1:] == ["ADMINISTRATION"] and ws[-2:-1] == [surname]
            # Another form of the name itself: "Dick Cheney" for RICHARD_CHENEY.
            variant = (2 <= len(ws) <= 3 and ws[-1] == surname
                       and not any(w in NOT_GIVEN for w in ws)
                       and all(re.fullmatch(r"[A-Z][A-Z.'-]*", w) for w in ws))
            if titled or administration or variant:
                form = nice([w for w in ws if w != "THE"])
                if administration:
                    form = form.replace("Administration", "administration")
                if form.lower() not in seen:
                    seen.add(form.lower())
                    short.append(form)
        served = f"{first}-{end}" if end else f"{first}-"
        rows.append("\t".join([name, state, served, "; ".join(short)]))

    print("# Office holders of 1990 onwards, derived by scripts/gen_officials.py from the Phoenix")
    print("# dictionary (openeventdata/petrarch2, MIT). Dated: the source stops in 2014-16, and")
    print("# officials.toml holds current leaders. Regenerate rather than edit; add your own in")
    print("# config with [[official]] tables. A tab-separated line per person (a TOML file of this")
    print("# size tripled start-up memory):")
    print("# name\tstate\tyears in government\tshort forms the news uses, separated by \"; \"")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
