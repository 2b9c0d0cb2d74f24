"""Reading Spanish, French, German and Russian briefs with word lists.

No parser for these languages installs from PyPI in a current, compatible
version, so this reader works on words: a word is classified by the longest
stem of the lexicon it starts with (inflected forms keep their stem); names
are capitalised words that are not function words, lexicon words or, in
German, nouns after an article; a place is a setting when a locative
preposition stands before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from filmcrew.tools.reading.english import EnglishSentence as SentenceFacts
from filmcrew.tools.reading.lexicon import FOREIGN
from filmcrew.tools.reading.types import Event, Person, Place, SpeechAct

__all__ = ["read_foreign"]

_FUNCTION = {
    "es": "el la los las un una unos unas y e o de del al en con por para que se su sus es lo le les muy pero cuando "
          "mientras después antes luego entonces pronto allí aquí ella él ellos ellas este esta ese esa una cada "
          "todos todas nadie alguien nunca siempre hoy ayer mañana tras sin sobre bajo entre hacia hasta desde durante "
          "a mi tu nuestro nuestra cuando donde como porque aunque sí no ya también al finalmente de repente por fin",
    "fr": "le la les l un une des et ou de du d en dans avec pour que qui se sa son ses au aux est sur il elle ils elles "
          "ne pas puis alors ensuite soudain enfin quand pendant après avant chaque tous toutes leur leurs ce cette "
          "mais où comme depuis vers chez sous entre sans un jour là ici",
    "de": "der die das den dem des ein eine einen einem einer eines und oder zu zum zur im in mit von vom auf ist sich "
          "sie er es nicht am beim seine seiner seinen seinem sein ihr ihre ihren ihrem ihrer als dann danach später "
          "plötzlich endlich wenn während nach vor jeden jede alle aber wo wie aus bei durch über unter hinter neben "
          "zwischen gegen ohne um noch schon auch doch eines eines dort hier",
    "ru": "и в во на с со к ко у о об от до по за из под над при он она они оно его её ее их это этот эта но а когда "
          "потом затем вдруг наконец утром вечером ночью днём днем после перед каждый все там здесь",
}
_FUNCTION_SETS = {k: frozenset(v.split()) for k, v in _FUNCTION.items()}
_DETERMINERS = {
    "de": frozenset("der die das den dem des ein eine einen einem einer eines sein seine seinen seinem seiner ihr ihre "
                    "ihren ihrem ihrer im am zum zur vom beim kein keine unser unsere".split()),
}
_LOCATIVE = {
    "es": frozenset("en al hacia por sobre bajo junto desde dentro cerca frente ante tras entre a".split()),
    "fr": frozenset("dans à au aux sur sous vers près devant derrière chez par dans en".split()),
    "de": frozenset("in im ins am an auf zum zur nach durch über unter vor hinter neben bei beim aus".split()),
    "ru": frozenset("в во на к ко у по через под над за около возле".split()),
}
# Prepositions after which a person is talked about, not there ("una carta de su hija").
_FROM = {
    "es": frozenset("de del sobre".split()), "fr": frozenset("de du d sur".split()),
    "de": frozenset("von vom über".split()), "ru": frozenset("от о об про".split()),
}
# Of these, the ones after which a place only qualifies a word ("gardienne de phare"); "sur la
# plage" and "sobre el puente" are where things happen.
_OF = {lang: words - frozenset({"sur", "sobre", "über"}) for lang, words in _FROM.items()}
_NAMED = {"es": ("llamada", "llamado"), "fr": ("nommée", "nommé", "appelée", "appelé"), "de": ("namens",), "ru": ("по имени",)}
_LATER = {
    "es": r"\b(años después|al día siguiente|más tarde|días después|semanas después)\b",
    "fr": r"\b(des années plus tard|le lendemain|plus tard|quelques jours plus tard)\b",
    "de": r"\b(jahre später|am nächsten tag|später|tage später)\b",
    "ru": r"(годы спустя|на следующий день|позже|через год)",
}
_HOME_WORDS = frozenset("haus casa maison дом".split())
_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?…])\s+", " ".join(text.split()))
    return [p.strip() for p in parts if any(c.isalnum() for c in p)]


@dataclass(frozen=True)
class _Hit:
    category: str
    key: str
    value: str
    start: int
    end: int  # token indices, end exclusive


def _match(lang: str, words: list[str]) -> list[_Hit]:
    """Longest-stem hits of every lexicon category, one per word; multiword entries first."""
    table = FOREIGN[lang]
    lowered = [w.lower() for w in words]
    hits: list[_Hit] = []
    used: set[int] = set()
    for category, entries in table.items():
        for key, value in entries.items():
            if " " not in key:
                continue
            parts = key.split()
            for i in range(len(lowered) - len(parts) + 1):
                if lowered[i : i + len(parts)] == parts and not used & set(range(i, i + len(parts))):
                    hits.append(_Hit(category, key, value, i, i + len(parts)))
                    used.update(range(i, i + len(parts)))
    for i, word in enumerate(lowered):
        if i in used or word in _NAMED[lang]:
            continue  # "llamado" names someone; it is no call ("llama")
        best: tuple[int, str, str, str] | None = None
        for category, entries in table.items():
            for key, value in entries.items():
                if " " in key or not word.startswith(key):
                    continue
                # Short stems may only take short endings: "mar" is not "marca".
                if len(word) - len(key) > (2 if len(key) <= 4 else 4):
                    continue
                if best is None or len(key) > best[0]:
                    best = (len(key), category, key, value)
        if best is not None:
            hits.append(_Hit(best[1], best[2], best[3], i, i + 1))
    return sorted(hits, key=lambda h: h.start)


def read_foreign(text: str, lang: str) -> tuple[list[SentenceFacts], list[Person]]:
    function = _FUNCTION_SETS[lang]
    people: list[Person] = []
    sentences: list[SentenceFacts] = []
    last_subject: str | None = None

    def person(name: str) -> Person | None:
        return next((p for p in people if p.name == name or name in p.aliases), None)

    words_all = _WORD_RE.findall(re.sub(r"\b([ldjmnstc]|qu)['’]", r"\1 ", text, flags=re.I) if lang == "fr" else text)
    for index, sentence in enumerate(_sentences(text)):
        facts = SentenceFacts(index, sentence)
        # French elisions are words of their own: "l'île" is "l' île".
        spaced = re.sub(r"\b([ldjmnstc]|qu)['’]", r"\1 ", sentence, flags=re.I) if lang == "fr" else sentence
        tokens = [(m.group(0), m.start()) for m in _WORD_RE.finditer(spaced)]
        words = [t for t, _ in tokens]
        hits = _match(lang, words)
        hit_at = {i: h for h in hits for i in range(h.start, h.end)}
        present: dict[str, str] = {}

        def status(at: int) -> str:
            if at and words[at - 1].lower() in _NAMED[lang]:
                return "present"  # "une gardienne de phare nommée Élise"
            # Only the preposition that governs the word counts: the one before its article or
            # possessive ("una carta de su hija"), not one that ends an earlier phrase ("Une nuit
            # d'hiver, les villageois").
            k = at - 1
            while k >= 0 and k >= at - 2 and words[k].lower() in function and words[k].lower() not in _FROM[lang] | _LOCATIVE[lang]:
                k -= 1
            before = {words[k].lower()} if k >= 0 and k >= at - 3 else set()
            return "mentioned" if before & _FROM[lang] and not before & _LOCATIVE[lang] - _FROM[lang] else "present"

        # Names: runs of capitalised words that are no function or lexicon word.
        i = 0
        while i < len(words):
            w = words[i]
            is_cap = w[:1].isupper() and w.lower() not in function and i not in hit_at
            if lang == "de" and is_cap:
                # Every German noun is capitalised: a name is one after "namens", one right after a
                # role ("die Wärterin Greta"), or one the brief uses again without an article.
                prev = words[i - 1].lower() if i else ""
                after_role = hit_at.get(i - 1) is not None and hit_at[i - 1].category in ("person", "animal")
                again = sum(x == w for x in words_all) >= 2 and not any(
                    words_all[k - 1].lower() in _DETERMINERS["de"] for k, x in enumerate(words_all) if x == w and k)
                if not (prev in _NAMED["de"] or after_role or again):
                    is_cap = False
            if not is_cap:
                i += 1
                continue
            j = i
            while j + 1 < len(words) and words[j + 1][:1].isupper() and words[j + 1].lower() not in function and j + 1 not in hit_at:
                j += 1
            name = " ".join(words[i : j + 1])
            before = words[i - 1].lower() if i else ""
            after_place = before in _FROM[lang] and i > 1 and hit_at.get(i - 2) is not None and hit_at[i - 2].category == "place"
            if (before in _LOCATIVE[lang] and before not in _FROM[lang] or after_place) and not any(name in (p.name, *p.aliases) for p in people):
                facts.regions.append(Place(name, name.lower(), False, proper=True))
            else:
                found = next((p for p in people if set(name.split()) & set(p.name.split())), None)
                if found is None:
                    role = next((h.value for h in hits if h.category == "person" and h.end in (i, i - 1)), "")
                    found = Person(name, "named", role, tuple(name.split()) if len(name.split()) > 1 else ())
                    people.append(found)
                state = status(i)
                if present.get(found.name) != "present":
                    present[found.name] = state
            i = j + 1
        # Role nouns, groups and animals; a role right before a name is that name's role.
        for h in hits:
            if h.category not in ("person", "group", "animal"):
                continue
            # "un pescador viejo llamado Tomás": one adjective may stand between the role and the name
            # (or a qualifier: "une gardienne de phare nommée Élise")
            adj = next((k for k in (1, 2) if h.end + k < len(words) and words[h.end + k].lower() in _NAMED[lang]
                        and all(w[:1].islower() for w in words[h.end : h.end + k])
                        and not any(hit_at.get(x) is not None and hit_at[x].category in ("person", "group", "animal")
                                    for x in range(h.end, h.end + k))), 0)
            nxt = words[h.end + adj] if h.end + adj < len(words) else ""
            named_next = nxt.lower() in _NAMED[lang] or (h.end + 1 < len(words) and " ".join(words[h.end : h.end + 2]).lower() in _NAMED[lang])
            if named_next or (nxt[:1].isupper() and nxt.lower() not in function and h.end not in hit_at
                              and (lang != "de" or nxt in {n for p in people for n in p.name.split()})):
                # "un farero llamado Tomás", "die Wärterin Greta": the role is the named person's
                name_at = adj + h.end + (1 if named_next and nxt.lower() in _NAMED[lang] else 0 if not named_next else 2)
                owner = next((p for p in people if words[min(name_at, len(words) - 1)] in p.name.split()), None)
                if owner is not None and not owner.role:
                    # the brief's own words for them ("pescador viejo") travel as the description
                    looks = " ".join(words[h.start : h.end + adj]).strip(",.;:")
                    people[people.index(owner)] = Person(owner.name, owner.kind, h.value, owner.aliases + (h.value,), looks)
                continue
            kind = {"person": "role", "group": "group", "animal": "animal"}[h.category]
            found = person(h.value)
            if found is None:
                found = Person(h.value, kind, h.key)  # type: ignore[arg-type]
                people.append(found)
            state = status(h.start)
            if present.get(found.name) != "present":
                present[found.name] = state
        last_place_end: int | None = None
        for h in hits:
            before = [w.lower() for w in words[max(0, h.start - 3) : h.start]]
            if h.category == "place":
                # "el puerto de...", "Смотритель маяка": a place that only qualifies a word before it is no setting.
                qualifying = (before and before[-1] in _OF[lang]) or (len(before) > 1 and before[-2] in _OF[lang] and before[-1] in _FUNCTION_SETS[lang]) \
                    or (h.start > 0 and hit_at.get(h.start - 1) is not None and hit_at[h.start - 1].category in ("person", "place"))
                if not qualifying:
                    k = max((n for n, b in enumerate(before) if b in _LOCATIVE[lang]), default=-1)
                    start = h.start - len(before) + k + 1 if k >= 0 else h.start
                    phrase = " ".join(words[start : h.end])
                    phrase = phrase.lower() if lang != "de" else phrase
                    gap = words[last_place_end:h.start] if last_place_end is not None else None
                    if gap is not None and facts.settings and len(gap) <= 3 and all(
                            w.lower() in _LOCATIVE[lang] or w.lower() in function for w in gap):
                        # "una panadería en el puerto": the second place says where the first one is
                        first = facts.settings[-1]
                        if first.head in _HOME_WORDS:
                            # "nach Hause in die Scheune": home is where; the barn is the place
                            article = [w for w in gap if w.lower() in function and w.lower() not in _LOCATIVE[lang]]
                            name = " ".join(article[-1:] + [words[h.start]])
                            facts.settings[-1] = Place(name if lang == "de" else name.lower(), h.key, False)
                        else:
                            facts.settings[-1] = Place(f"{first.name} {' '.join(gap)} {words[h.start]}".strip(), first.head, first.indoor)
                    else:
                        facts.settings.append(Place(phrase, h.key, False, False))
                    last_place_end = h.end
            elif h.category == "object":
                facts.objects.append(" ".join(words[h.start : h.end]).lower() if lang != "de" else " ".join(words[h.start : h.end]))
            elif h.category == "effect":
                # The brief's own word: the script is written in its language.
                said = " ".join(words[h.start : h.end])
                facts.effects.append(said if lang == "de" else said.lower())
            elif h.category == "weather":
                facts.weather.append(h.value)
            elif h.category == "time" and facts.time is None:
                facts.time = h.value
        facts.later = bool(re.search(_LATER[lang], sentence.lower()))
        facts.objects = list(dict.fromkeys(facts.objects))
        facts.effects = list(dict.fromkeys(facts.effects))
        facts.weather = list(dict.fromkeys(facts.weather))
        facts.people = list(present.items())
        subject = next((n for n, s in facts.people if s == "present"), None)
        if subject is None and last_subject is not None:
            facts.people.append((last_subject, "present"))
            subject = last_subject
        last_subject = subject or last_subject
        for h in hits:
            if h.category == "speech" and subject:
                addressee = next((n for n, s in facts.people if n != subject and s == "present"), None)
                facts.speech.append(SpeechAct(speaker=subject, kind=h.value, addressee=addressee, verb=h.key))  # type: ignore[arg-type]
        for m in re.finditer(r"[\"“«„]([^\"”»“]{2,120})[\"”»“]", sentence):
            facts.speech.append(SpeechAct(speaker=subject or "", kind="quote", content=m.group(1).strip()))
        facts.events.append(Event(action=sentence.rstrip(".!?… "), actors=tuple(n for n, s in facts.people if s == "present"), sentence=index))
        sentences.append(facts)
    return sentences, people
