"""The offline screenwriter's sentences in each language it writes: English, Spanish, French, German, Russian.

Only the connective tissue is templated (establishing views, close-ups, an
arrival, short dialogue for implied speech, the objective of each beat); the
story's own actions, names, places and objects come from the brief. A language
without templates gets English connective text around the brief's own words.
"""

from __future__ import annotations

__all__ = ["PHRASES", "TIME_WORDS", "phrases_for", "time_word", "resolution", "theme"]

TIME_WORDS: dict[str, dict[str, str]] = {
    "en": {"dawn": "dawn", "morning": "morning", "day": "day", "afternoon": "afternoon", "golden_hour": "sunset",
           "dusk": "dusk", "night": "night"},
    "es": {"dawn": "el amanecer", "morning": "la mañana", "day": "el día", "afternoon": "la tarde",
           "golden_hour": "el atardecer", "dusk": "el anochecer", "night": "la noche"},
    "fr": {"dawn": "l'aube", "morning": "le matin", "day": "le jour", "afternoon": "l'après-midi",
           "golden_hour": "le coucher du soleil", "dusk": "le crépuscule", "night": "la nuit"},
    "de": {"dawn": "Morgengrauen", "morning": "Morgen", "day": "Tag", "afternoon": "Nachmittag",
           "golden_hour": "Sonnenuntergang", "dusk": "Abenddämmerung", "night": "Nacht"},
    "ru": {"dawn": "рассвет", "morning": "утро", "day": "день", "afternoon": "после полудня", "golden_hour": "закат",
           "dusk": "сумерки", "night": "ночь"},
}

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "establish": "Establishing view: {place}, {time}{weather}.",
        "establish_effect": "Establishing view: {place}, {time}{weather}; {effect} in the frame.",
        "setup": "{who} in {place}: an ordinary moment before the story turns.",
        "arrive": "{who} at {place}.",
        "detail": "Detail: the {thing}.",
        "close": "Close on {who} as the moment lands.",
        "two_shot": "{a} and {b} face each other as they talk.",
        "resolve_found": "Together at last: {who} and {other}.",
        "resolve_plain": "{who} takes in what has changed.",
        "turn": "{who} faces what the {thing} brings.",
        "metaphor": "The {thing}, held alone in the frame: an image of {theme}.",
        "metaphor_place": "{place} under the {time} light: an image of {theme}.",
        "themes": "tense=what is at stake|tender=what binds them|triumphant=what was won|melancholy=what was lost|"
                  "playful=the story's joy|mysterious=what is still hidden|neutral=what has changed",
        "obj_setup": "Establish {who} and {place} so the viewer knows where and with whom we are.",
        "obj_event": "Show the event that changes {who}'s situation: {action}",
        "obj_development": "Raise the stakes for {who}: {action}",
        "obj_twist": "Turn the story: {action}",
        "obj_outcome": "Resolve what happened to {who} and leave the viewer with its meaning.",
        "narrate_setup": "This is {place}, and this is {who}.",
        "title": "The {thing}",
        "named_desc": "the protagonist", "role_desc": "a character of the story", "group_desc": "a group in the story",
        "animal_desc": "an animal that acts in the story", "mentioned_desc": "talked about, not seen until the story brings them",
        "say_call": "{name}!", "say_call_none": "Over here!", "say_phone": "It's me. Can you hear me?",
        "say_argue": "You're wrong about this.", "say_argue_back": "No. Listen to me.",
        "say_confess": "I have to tell you something.", "say_confess_back": "Then tell me.",
        "say_tell": "Listen. {content}", "say_tell_none": "Listen to me.",
        "say_ask": "Please. {content}?", "say_ask_none": "Will you help me?",
        "say_answer": "Yes.", "say_sing": "(singing softly)",
    },
    "es": {
        "establish": "Plano de situación: {place}, {time}{weather}.",
        "establish_effect": "Plano de situación: {place}, {time}{weather}; {effect} en el encuadre.",
        "setup": "{who} en {place}, un momento cotidiano antes de que todo cambie.",
        "arrive": "{who} en {place}.",
        "detail": "Plano detalle: {thing}.",
        "close": "Primer plano de {who} cuando el momento cae.",
        "two_shot": "{a} y {b}, frente a frente, hablan.",
        "resolve_found": "Por fin juntos: {who} y {other}.",
        "turn": "{who} se enfrenta a lo que trae {thing}.",
        "metaphor": "{thing}, sola en el encuadre: una imagen de {theme}.",
        "metaphor_place": "{place} bajo la luz de {time}: una imagen de {theme}.",
        "themes": "tense=lo que está en juego|tender=lo que los une|triumphant=lo ganado|melancholy=lo perdido|"
                  "playful=la alegría de la historia|mysterious=lo que sigue oculto|neutral=lo que ha cambiado",
        "resolve_plain": "{who}, en silencio, frente a lo que ha cambiado.",
        "obj_setup": "Presentar a {who} y {place} para que el público sepa dónde y con quién estamos.",
        "obj_event": "Mostrar lo que cambia la situación de {who}: {action}",
        "obj_development": "Subir la tensión para {who}: {action}",
        "obj_twist": "Girar la historia: {action}",
        "obj_outcome": "Resolver lo que le pasó a {who} y dejar al público con su sentido.",
        "narrate_setup": "Esto es {place}, y esta es la historia de {who}.",
        "named_desc": "protagonista", "role_desc": "personaje de la historia", "group_desc": "un grupo de la historia",
        "animal_desc": "un animal que actúa en la historia", "mentioned_desc": "se habla de él, no se le ve",
        "say_call": "¡{name}!", "say_call_none": "¡Aquí!", "say_phone": "Soy yo. ¿Me oyes?",
        "say_argue": "Te equivocas.", "say_argue_back": "No. Escúchame.",
        "say_confess": "Tengo que decirte algo.", "say_confess_back": "Dímelo.",
        "say_tell": "Escucha. {content}", "say_tell_none": "Escúchame.",
        "say_ask": "Por favor. ¿{content}?", "say_ask_none": "¿Me ayudas?",
        "say_answer": "Sí.", "say_sing": "(cantando en voz baja)",
    },
    "fr": {
        "establish": "Plan d'ensemble : {place}, {time}{weather}.",
        "establish_effect": "Plan d'ensemble : {place}, {time}{weather} ; {effect} dans le cadre.",
        "setup": "{who} dans {place}, un moment ordinaire avant que tout bascule.",
        "arrive": "{who} — {place}.",
        "detail": "Gros plan : {thing}.",
        "close": "Gros plan sur {who} quand le moment arrive.",
        "two_shot": "{a} et {b} se font face et se parlent.",
        "resolve_found": "Enfin réunis : {who} et {other}.",
        "turn": "{who} affronte ce qu'apporte {thing}.",
        "metaphor": "{thing}, seule dans le cadre : une image de {theme}.",
        "metaphor_place": "{place} dans la lumière de {time} : une image de {theme}.",
        "themes": "tense=ce qui est en jeu|tender=ce qui les lie|triumphant=ce qui a été gagné|melancholy=ce qui est perdu|"
                  "playful=la joie de l'histoire|mysterious=ce qui reste caché|neutral=ce qui a changé",
        "resolve_plain": "{who}, en silence, face à ce qui a changé.",
        "obj_setup": "Présenter {who} et {place} pour que le public sache où et avec qui nous sommes.",
        "obj_event": "Montrer ce qui change la situation de {who} : {action}",
        "obj_development": "Faire monter l'enjeu pour {who} : {action}",
        "obj_twist": "Retourner l'histoire : {action}",
        "obj_outcome": "Résoudre ce qui est arrivé à {who} et laisser au public son sens.",
        "narrate_setup": "Voici {place}, et voici {who}.",
        "named_desc": "protagoniste", "role_desc": "personnage de l'histoire", "group_desc": "un groupe de l'histoire",
        "animal_desc": "un animal qui agit dans l'histoire", "mentioned_desc": "on en parle, on ne le voit pas",
        "say_call": "{name} !", "say_call_none": "Par ici !", "say_phone": "C'est moi. Tu m'entends ?",
        "say_argue": "Tu te trompes.", "say_argue_back": "Non. Écoute-moi.",
        "say_confess": "Je dois te dire quelque chose.", "say_confess_back": "Alors dis-le.",
        "say_tell": "Écoute. {content}", "say_tell_none": "Écoute-moi.",
        "say_ask": "S'il te plaît. {content} ?", "say_ask_none": "Tu m'aides ?",
        "say_answer": "Oui.", "say_sing": "(chantant doucement)",
    },
    "de": {
        "establish": "Totale: {place}, {time}{weather}.",
        "establish_effect": "Totale: {place}, {time}{weather}; {effect} im Bild.",
        "setup": "{who} – {place}, ein gewöhnlicher Moment, bevor sich alles ändert.",
        "arrive": "{who} – {place}.",
        "detail": "Detail: {thing}.",
        "close": "Großaufnahme: {who}, als der Moment kommt.",
        "two_shot": "{a} und {b} stehen sich gegenüber und reden.",
        "resolve_found": "Endlich zusammen: {who} und {other}.",
        "turn": "{who} stellt sich dem, was {thing} bringt.",
        "metaphor": "{thing}, allein im Bild: ein Bild für {theme}.",
        "metaphor_place": "{place} im Licht: {time}, ein Bild für {theme}.",
        "themes": "tense=das, was auf dem Spiel steht|tender=das, was sie verbindet|triumphant=das Gewonnene|"
                  "melancholy=das Verlorene|playful=die Freude der Geschichte|mysterious=das, was verborgen bleibt|"
                  "neutral=das, was sich verändert hat",
        "resolve_plain": "{who}, still, vor dem, was sich verändert hat.",
        "obj_setup": "{who} und {place} vorstellen, damit das Publikum weiß, wo und mit wem wir sind.",
        "obj_event": "Zeigen, was die Lage für {who} verändert: {action}",
        "obj_development": "Die Spannung für {who} steigern: {action}",
        "obj_twist": "Die Geschichte wenden: {action}",
        "obj_outcome": "Auflösen, was mit {who} geschah, und dem Publikum den Sinn lassen.",
        "narrate_setup": "Das ist {place}, und das ist {who}.",
        "named_desc": "Hauptfigur", "role_desc": "Figur der Geschichte", "group_desc": "eine Gruppe der Geschichte",
        "animal_desc": "ein Tier, das in der Geschichte handelt", "mentioned_desc": "man spricht von ihr, sieht sie aber nicht",
        "say_call": "{name}!", "say_call_none": "Hier drüben!", "say_phone": "Ich bin's. Hörst du mich?",
        "say_argue": "Du irrst dich.", "say_argue_back": "Nein. Hör mir zu.",
        "say_confess": "Ich muss dir etwas sagen.", "say_confess_back": "Dann sag es.",
        "say_tell": "Hör zu. {content}", "say_tell_none": "Hör mir zu.",
        "say_ask": "Bitte. {content}?", "say_ask_none": "Hilfst du mir?",
        "say_answer": "Ja.", "say_sing": "(singt leise)",
    },
    "ru": {
        "establish": "Общий план: {place}, {time}{weather}.",
        "establish_effect": "Общий план: {place}, {time}{weather}; в кадре: {effect}.",
        "setup": "{who} — {place}, обычный момент перед тем, как всё изменится.",
        "arrive": "{who} — {place}.",
        "detail": "Деталь: {thing}.",
        "close": "Крупный план: {who}, когда наступает главный момент.",
        "two_shot": "{a} и {b} стоят лицом к лицу и говорят.",
        "resolve_found": "Наконец вместе: {who} и {other}.",
        "turn": "{who} встречает то, что несёт {thing}.",
        "metaphor": "{thing}, одна в кадре: образ того, {theme}.",
        "metaphor_place": "{place} в свете: {time}, образ того, {theme}.",
        "themes": "tense=что поставлено на карту|tender=что их связывает|triumphant=что завоёвано|melancholy=что потеряно|"
                  "playful=в чём радость истории|mysterious=что ещё скрыто|neutral=что изменилось",
        "resolve_plain": "{who} — в тишине, перед тем, что изменилось.",
        "obj_setup": "Показать: {who}, {place} — чтобы зритель понял, где мы и с кем.",
        "obj_event": "Показать, что меняет положение героя ({who}): {action}",
        "obj_development": "Поднять ставки ({who}): {action}",
        "obj_twist": "Повернуть историю: {action}",
        "obj_outcome": "Разрешить историю ({who}) и оставить зрителю её смысл.",
        "narrate_setup": "Это {place}. Это {who}.",
        "named_desc": "главный герой", "role_desc": "персонаж истории", "group_desc": "группа в истории",
        "animal_desc": "животное, которое действует в истории", "mentioned_desc": "о нём говорят, но его не видно",
        "say_call": "{name}!", "say_call_none": "Сюда!", "say_phone": "Это я. Ты меня слышишь?",
        "say_argue": "Ты неправ.", "say_argue_back": "Нет. Послушай меня.",
        "say_confess": "Я должен тебе кое-что сказать.", "say_confess_back": "Тогда скажи.",
        "say_tell": "Послушай. {content}", "say_tell_none": "Послушай меня.",
        "say_ask": "Пожалуйста. {content}?", "say_ask_none": "Поможешь мне?",
        "say_answer": "Да.", "say_sing": "(тихо поёт)",
    },
}

_RESOLVE_EN = {
    "tense": "{who} stands still as the danger passes.", "tender": "{who} holds on to the moment.",
    "triumphant": "{who} looks up, changed by what has happened.", "melancholy": "{who} is left alone with the memory.",
    "playful": "{who} laughs as the moment settles.", "mysterious": "{who} looks back at what is still unexplained.",
    "neutral": "{who} takes in what has changed.",
}


def phrases_for(language: str) -> dict[str, str]:
    """The templates of `language`, English where it has none."""
    return PHRASES.get(language, PHRASES["en"])


def resolution(language: str, mood: str) -> str:
    """The closing line of an expanded short brief. Outside English it has no verb of its
    own, so it agrees with any subject (one person or a group, a woman or a man)."""
    if language == "en":
        return _RESOLVE_EN.get(mood, _RESOLVE_EN["neutral"])
    return phrases_for(language)["resolve_plain"]


def theme(language: str, mood: str) -> str:
    pairs = dict(p.split("=", 1) for p in phrases_for(language)["themes"].split("|"))
    return pairs.get(mood, pairs["neutral"])


def time_word(language: str, time_of_day: str) -> str:
    return TIME_WORDS.get(language, TIME_WORDS["en"]).get(time_of_day, time_of_day.replace("_", " "))
