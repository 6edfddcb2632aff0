"""Every weight of the search, named, with the reason for its value.

A refit is a diff in this one file. The weights are read by the step that applies them: word
weights by :mod:`~knowledge.search.lexicon` and :mod:`~knowledge.search.query`, name weights by
:mod:`~knowledge.search.index` (fixed at build time), feature weights by
:mod:`~knowledge.search.ranking`. The calibration to [0, 1] is a fitted model of its own, in
:mod:`~knowledge.search.calibration`. This module imports nothing, so every step can read it.
"""

from __future__ import annotations

# --- how much a query word counts ----------------------------------------------------------------

CONTENT_WEIGHT = 0.3  # a query word weighing at least this can carry a procedure
FILLER_WEIGHT = 0.08  # particles, pronouns, question words, generic verbs ("ạ", "em", "hỏi")
LIGHT_FILLER_WEIGHT = 0.35  # prepositions and generic nouns ("cho", "về", "giấy", "việc")
STORY_WORD_WEIGHT = 0.3  # time and counting words of a story ("tháng sau", "hai đứa")
CONTEXT_WEIGHT = 0.45  # people and places a question mentions as context ("bố mẹ", "xã")
AMBIGUOUS_FILLER_WEIGHT = 0.4  # a filler word typed without accents that may be a catalogue word
NUMBER_WEIGHT = 0.3  # a number: content, but the least of it
STORY_SHARE = 0.5  # a word of the story told before the question, next to one of the question
UNKNOWN_WORD_WEIGHT = 5.0  # weight of a content word no catalogue name uses
ACCENT_MISMATCH = 0.35  # credit for a word whose accents differ from the ones typed
COMPOUND_LONE = 0.35  # weight of a word bound to a compound, met without its partner
COMPOUND_SHARE = 0.85  # a word bound to its partners in this share of the names that use it
COMPOUND_PARTNERS = 2  # how many partners such a word may have
COMPOUND_MIN_USES = 3  # and how often at least it must occur in the names, to be judged
GLUE_PAIR_BONUS = 6.0  # a glued word splits where the catalogue has the pair side by side

# --- alias expansions --------------------------------------------------------------------------

ALIAS_WORD_WEIGHT = 5.0  # weight an alias expansion carries per word it replaces
LONG_EXPANSION = 4  # words from which an expansion shares its weight equally and saturates
ALIAS_SATURATION = 0.6  # share of an alias expansion a name must match to get all of it
SECOND_CHOICE_PENALTY = 0.03  # a variant with an alias's second-choice expansion starts behind
ALIAS_CODE_STEP = 0.02  # an alias naming several procedures prefers the first listed

# --- typo alternatives of an unknown word --------------------------------------------------------

TYPO_CUTOFF_SHORT = 80.0  # rapidfuzz ratio a word of 4-5 letters needs to a catalogue word
TYPO_CUTOFF = 75.0  # the ratio a longer word needs
TYPO_FLOOR = 40.0  # the ratio that would earn no credit (100 earns the word's full weight)
TYPO_ALTERNATIVES = 3  # catalogue words tried for one unknown word

# --- names, fixed when the index is built ----------------------------------------------------

PAREN_WEIGHT = 0.3  # a word of a name inside parentheses: a note, not the procedure
CLAUSE_PENALTY = -0.04  # one clause of a long name matches too easily
COMMUNE_PRIOR = 0.03  # done at commune level: the service centre's everyday work
PROVINCE_PRIOR = 0.015  # done at province level (and not at commune level)
CITIZEN_PRIOR = 0.01  # for citizens, not only for businesses and organisations
SECONDARY_LEAD = 8  # a name's secondary action is read in its first eight words

# --- scoring a name against the query ---------------------------------------------------------

QUERY_COVERAGE_WEIGHT = 0.55  # the share of the query's weight the name matches
NAME_COVERAGE_WEIGHT = 0.22  # weight of the share of a name the query covers
SHORT_QUERY = 3  # content words up to which the name's coverage weighs fully
LONG_QUERY_NAME_SHARE = 0.7  # beyond: a long question's words decide by themselves
PAIR_COVERAGE_WEIGHT = 0.12  # the share of the query's word pairs the name has side by side
PRESELECT_NAME_WEIGHT = 0.4  # name coverage next to query coverage, to pick the candidates
FULL_ALIAS = 0.99  # an alias this fully present, in order, names its procedure
ALIAS_COVERAGE_FLOOR = 0.5  # an alias's credit scales by min(1, this + query coverage)
ALIAS_PHRASE_BONUS = 0.06  # the whole alias phrase appears, in order, in the query
SECONDARY_PENALTY = 0.08  # a name starting with an action the query did not ask for

# --- re-ranking the best names -------------------------------------------------------------

RATIO_WEIGHT = 0.06  # rapidfuzz ratio of the query's content words to the name
HEAD_BONUS = 0.04  # the first three words of the name appear together in the query
PREFIX_BONUS = 0.08  # the query is the beginning of the name (at least three words)
PREFIX_WORDS = 3  # content words from which the prefix bonus is whole
SHORT_PREFIX_SHARE = 0.5  # the share of it a shorter query gets
INNER_RUN_SHARE = 0.75  # the query's words (three or more) run in order inside the name
TWIN_GAP = 0.08  # a level-only duplicate stays behind a distinct procedure unless this far ahead
