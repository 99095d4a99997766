#!/usr/bin/env python3
"""Writes the labelled follow-up corpus (train/validation/test JSON Lines) for the follow-up classifier.

Seeded, so re-running gives byte-identical files. Each scenario is a (prompt, response) with the details the
follow-ups need: the wrong bit of the answer (w), the right one (c), a fix, rephrasings of the request (rp),
unrelated next requests (nx) and a question about it (q). The split is by scenario, so test examples talk about
domains the model never saw in training (only the phrasing templates are shared).

    python3 generate.py   # from this directory
"""
import json
import random

SEED = 20261122
PER_LABEL = 9  # follow-ups per scenario and label

S = [
    dict(p="What's the capital of Australia?", r="The capital of Australia is Sydney.", w="Sydney", c="Canberra", fix="the capital is Canberra",
         rp=["I asked for the capital city of Australia, not its biggest city.", "Which city is the seat of government of Australia?"],
         nx=["What's the population of Canberra?", "Tell me three facts about New Zealand."], q="the population"),
    dict(p="When did Apollo 11 land on the moon?", r="Apollo 11 landed on the moon on July 20, 1968.", w="1968", c="1969", fix="the year is 1969",
         rp=["On what date did Apollo 11 touch down on the moon?", "I need the exact landing date of the Apollo 11 moon landing."],
         nx=["Who was the third astronaut on that mission?", "Write a short poem about the moon."], q="the time of day it landed"),
    dict(p="How do I reverse a list in Python?", r="Use list.reverse(), which returns a new reversed list.", w="list.reverse() returns a new list", c="it reverses in place and returns None", fix="use reversed() or slicing [::-1] if you want a new list",
         rp=["How can I get a reversed copy of a list in Python without changing the original?", "reverse a python list, keeping the original list intact"],
         nx=["How do I sort a dict by value?", "Now show me how to read a CSV file in Python."], q="performance on large lists"),
    dict(p="Convert 100 Fahrenheit to Celsius.", r="100°F is about 32.2°C.", w="32.2°C", c="37.8°C", fix="it's (100-32)*5/9 = 37.8",
         rp=["What is 100 degrees F in degrees C?", "100 F to C please, the temperature conversion"],
         nx=["What about 0 Kelvin in Fahrenheit?", "What's a normal body temperature in Celsius?"], q="the formula you used"),
    dict(p="Write a SQL query that counts orders per customer.", r="SELECT customer_id, COUNT(*) FROM orders;", w="the query has no GROUP BY", c="GROUP BY customer_id", fix="add GROUP BY customer_id at the end",
         rp=["I need the number of orders for each customer, one row per customer.", "SQL: how many orders does every customer have?"],
         nx=["Now how do I find customers with no orders?", "Explain the difference between INNER and LEFT JOIN."], q="customers without orders"),
    dict(p="Who wrote Pride and Prejudice?", r="Pride and Prejudice was written by Charlotte Brontë.", w="Charlotte Brontë", c="Jane Austen", fix="it was Jane Austen",
         rp=["Who is the author of the novel Pride and Prejudice?", "which writer wrote pride and prejudice (the 1813 novel)?"],
         nx=["Recommend another classic novel.", "Summarize Jane Eyre in two sentences."], q="when it was published"),
    dict(p="How many grams of sugar are in a teaspoon?", r="A teaspoon of sugar is about 12 grams.", w="12 grams", c="about 4 grams", fix="a teaspoon is roughly 4 g",
         rp=["How much does one teaspoon of granulated sugar weigh in grams?", "teaspoon of sugar -> grams?"],
         nx=["Give me a recipe for pancakes.", "How many calories are in a banana?"], q="brown sugar"),
    dict(p="What's the git command to undo the last commit but keep the changes?", r="Run git reset --hard HEAD~1.", w="--hard", c="git reset --soft HEAD~1", fix="use --soft, --hard throws the changes away",
         rp=["How do I uncommit my last commit without losing my edits?", "git: remove the last commit, keep my working changes"],
         nx=["How do I rename a branch?", "What does git rebase do?"], q="commits I already pushed"),
    dict(p="Translate 'good morning' into Spanish.", r="'Good morning' in Spanish is 'buenas noches'.", w="buenas noches", c="buenos días", fix="it's 'buenos días', 'buenas noches' means good night",
         rp=["How do you say good morning in Spanish?", "spanish for 'good morning' pls"],
         nx=["Now translate 'thank you very much' into Italian.", "How do I say 'where is the station' in French?"], q="the formal version"),
    dict(p="What's the boiling point of water at sea level in Fahrenheit?", r="Water boils at 100°F at sea level.", w="100°F", c="212°F", fix="it's 212°F, 100 is Celsius",
         rp=["At sea level, at what temperature in °F does water boil?", "boiling point of water, fahrenheit, sea level"],
         nx=["Why does water boil at a lower temperature in the mountains?", "What's the freezing point of salt water?"], q="altitude"),
    dict(p="Give me a regex that matches a US ZIP code.", r="Use ^\\d{4}$.", w="\\d{4}", c="^\\d{5}(-\\d{4})?$", fix="ZIP codes have 5 digits, so use \\d{5}",
         rp=["I need a regular expression for 5-digit US ZIP codes, optionally ZIP+4.", "regex for us zip codes (12345 or 12345-6789)"],
         nx=["Now a regex for email addresses?", "How do I use regex in JavaScript?"], q="ZIP+4 codes"),
    dict(p="How long should I boil an egg for a soft yolk?", r="Boil it for 12 minutes for a soft yolk.", w="12 minutes", c="about 6 minutes", fix="6 minutes gives a soft yolk, 12 is hard boiled",
         rp=["How many minutes do I boil an egg so the yolk stays runny?", "soft boiled egg: how long in boiling water?"],
         nx=["How do I make scrambled eggs fluffy?", "What can I cook with eggs and spinach?"], q="eggs straight from the fridge"),
    dict(p="What's the time complexity of binary search?", r="Binary search runs in O(n) time.", w="O(n)", c="O(log n)", fix="it halves the range each step, so O(log n)",
         rp=["What is the big-O running time of binary search on a sorted array?", "complexity of binary search?"],
         nx=["Explain how quicksort works.", "What's a hash table?"], q="the worst case"),
    dict(p="Write an email asking my landlord to fix the heating.", r="Dear landlord, please repaint the kitchen at your earliest convenience. Regards.", w="it talks about repainting the kitchen", c="the heating", fix="it should ask to fix the heating, not repaint the kitchen",
         rp=["I need a short polite email to my landlord about the broken heating.", "Draft a message to my landlord: the heating doesn't work, please repair it."],
         nx=["Now write a text to my neighbour about a parcel.", "How do I write a complaint to a company?"], q="mentioning the date it broke"),
    dict(p="How many players are on a soccer team on the field?", r="Each soccer team has 9 players on the field.", w="9", c="11", fix="it's 11 including the goalkeeper",
         rp=["How many players per side are on the pitch in football (soccer)?", "soccer: players per team during a match?"],
         nx=["Who won the 2018 World Cup?", "Explain the offside rule."], q="substitutes"),
    dict(p="In JavaScript, how do I check if a variable is an array?", r="Use typeof x === 'array'.", w="typeof", c="Array.isArray(x)", fix="typeof returns 'object' for arrays, use Array.isArray(x)",
         rp=["What's the correct way to test whether a JS value is an array?", "javascript: is this variable an array?"],
         nx=["How do I remove duplicates from an array in JS?", "What is a closure?"], q="arrays from iframes"),
    dict(p="What's the chemical symbol for gold?", r="The chemical symbol for gold is Ag.", w="Ag", c="Au", fix="gold is Au, Ag is silver",
         rp=["Which element symbol stands for gold on the periodic table?", "gold's symbol in chemistry?"],
         nx=["What's the atomic number of iron?", "Why is gold so unreactive?"], q="where the symbol comes from"),
    dict(p="Summarize the plot of Romeo and Juliet in one sentence.", r="Romeo and Juliet is about a Danish prince who avenges his father.", w="that's Hamlet", c="two young lovers from feuding families", fix="it's about two lovers from feuding families who die",
         rp=["Give me a one-sentence summary of Shakespeare's Romeo and Juliet.", "one line plot summary: romeo and juliet"],
         nx=["Summarize Macbeth too.", "Who are the main characters in Othello?"], q="the ending"),
    dict(p="How do I center a div horizontally with CSS?", r="Set text-align: middle on the div.", w="text-align: middle", c="margin: 0 auto", fix="give it a width and margin: 0 auto, or use flexbox",
         rp=["What CSS centers a block element horizontally in its parent?", "css center a div horizontally"],
         nx=["How do I make a sticky header?", "What's the difference between em and rem?"], q="centering vertically too"),
    dict(p="What's 15% of 80?", r="15% of 80 is 15.", w="15", c="12", fix="0.15 * 80 = 12",
         rp=["Calculate fifteen percent of eighty.", "80 * 15% = ?"],
         nx=["What's 20% of 150?", "How do I compute compound interest?"], q="how you calculated it"),
    dict(p="Which planet is closest to the sun?", r="Venus is the closest planet to the sun.", w="Venus", c="Mercury", fix="it's Mercury",
         rp=["What is the innermost planet of the solar system?", "planet nearest to the sun?"],
         nx=["How hot is it on Venus?", "How many moons does Jupiter have?"], q="the average distance"),
    dict(p="How do I make a bash script executable?", r="Run chmod 644 script.sh.", w="644", c="chmod +x script.sh", fix="use chmod +x, 644 has no execute bit",
         rp=["What command gives a shell script execute permission?", "make script.sh runnable in linux"],
         nx=["How do I loop over files in bash?", "What does the shebang line do?"], q="what the numbers mean"),
    dict(p="What's the recommended daily water intake for adults?", r="Adults should drink about 8 litres of water a day.", w="8 litres", c="around 2 to 3 litres", fix="it's about 2-3 litres, 8 is way too much",
         rp=["How much water should an adult drink per day?", "daily water recommendation for grown-ups?"],
         nx=["What are the signs of dehydration?", "Is coffee bad for you?"], q="people who exercise"),
    dict(p="In C#, how do I read all lines of a file?", r="Use File.ReadAllText(path), which returns an array of lines.", w="ReadAllText", c="File.ReadAllLines(path)", fix="ReadAllText returns one string; use File.ReadAllLines",
         rp=["How do I get the lines of a text file as a string array in C#?", "c#: read a file line by line into an array"],
         nx=["How do I write JSON to a file in C#?", "What's the difference between a class and a struct?"], q="very large files"),
    dict(p="What year did the Berlin Wall fall?", r="The Berlin Wall fell in 1991.", w="1991", c="1989", fix="it fell in 1989",
         rp=["In which year was the Berlin Wall torn down?", "berlin wall came down when?"],
         nx=["When did Germany reunify?", "Who was the last leader of East Germany?"], q="the exact date"),
    dict(p="Recommend a beginner houseplant that tolerates low light.", r="Try a cactus, it loves dark corners.", w="cactus", c="a snake plant or a pothos", fix="suggest a snake plant or pothos, cacti need lots of sun",
         rp=["Which easy indoor plant survives in a dim room?", "low light houseplant for a beginner?"],
         nx=["How often should I water a monstera?", "What plants are safe for cats?"], q="pets"),
    dict(p="What's the difference between 'affect' and 'effect'?", r="'Affect' is usually a noun and 'effect' is usually a verb.", w="you swapped them", c="affect is usually the verb, effect the noun", fix="it's the other way round: affect is the verb, effect is the noun",
         rp=["When do I use affect versus effect?", "affect vs effect, which one is the verb?"],
         nx=["When do I use 'who' vs 'whom'?", "Proofread this sentence: their going to the park."], q="'effect' as a verb"),
    dict(p="How many bytes are in a kilobyte?", r="A kilobyte is 1000 bits.", w="bits", c="1000 bytes (or 1024 in binary)", fix="it's 1000 bytes, or 1024 for a kibibyte, not bits",
         rp=["How many bytes make up one kilobyte?", "1 KB = how many bytes"],
         nx=["How many megabytes in a gigabyte?", "What is a nibble?"], q="KiB versus KB"),
    dict(p="Write a haiku about autumn.", r="Leaves fall to the ground / red and gold they drift away / autumn is here now and the wind is cold", w="the last line has too many syllables", c="5 syllables", fix="the third line needs 5 syllables, e.g. 'the wind is cold now'",
         rp=["Can I get a proper 5-7-5 haiku about fall?", "haiku, autumn theme, 5-7-5 syllables"],
         nx=["Now write a limerick about a cat.", "Write a short story about a lighthouse."], q="the syllable count"),
    dict(p="What's the speed of light?", r="The speed of light is about 300,000 km per hour.", w="per hour", c="about 300,000 km per second", fix="it's 300,000 km per second, not per hour",
         rp=["How fast does light travel in a vacuum?", "speed of light in km/s?"],
         nx=["How long does sunlight take to reach Earth?", "What is a light year?"], q="light in water"),
    dict(p="How do I convert a string to an int in Java?", r="Use Integer.toString(s).", w="Integer.toString", c="Integer.parseInt(s)", fix="use Integer.parseInt(s); toString goes the other way",
         rp=["What Java method parses a String into an int?", "java string to integer conversion"],
         nx=["How do I split a string in Java?", "What is a NullPointerException?"], q="invalid input"),
    dict(p="What's the tallest mountain in Africa?", r="Mount Kenya is the tallest mountain in Africa.", w="Mount Kenya", c="Kilimanjaro", fix="it's Kilimanjaro",
         rp=["Which is the highest peak on the African continent?", "highest mountain in africa?"],
         nx=["How long does it take to climb Kilimanjaro?", "What's the longest river in Africa?"], q="its height"),
    dict(p="Plan a 3-day itinerary for Rome.", r="Day 1: Eiffel Tower. Day 2: Louvre. Day 3: Montmartre.", w="those are all in Paris", c="the Colosseum, the Vatican and Trastevere", fix="Rome means the Colosseum, the Vatican, Trastevere",
         rp=["I want a three-day sightseeing plan for Rome, Italy.", "3 days in rome, what should I see each day?"],
         nx=["What's the best time of year to visit Italy?", "Recommend some Roman dishes to try."], q="public transport"),
    dict(p="How do I take a screenshot on Windows?", r="Press Cmd+Shift+4.", w="Cmd+Shift+4", c="Win+Shift+S", fix="on Windows it's Win+Shift+S or PrtScn; Cmd+Shift+4 is macOS",
         rp=["What's the keyboard shortcut for a screenshot on a Windows PC?", "windows 11 screenshot shortcut?"],
         nx=["How do I record my screen on Windows?", "How do I change the default browser?"], q="where the file is saved"),
    dict(p="What's the plural of 'mouse' when it means the computer device?", r="The plural is 'mouses' and 'mice' is wrong.", w="'mice' is wrong", c="both 'mice' and 'mouses' are accepted", fix="'mice' is fine too, both are used",
         rp=["For computer mice, is the plural mice or mouses?", "plural of mouse (the computer one)"],
         nx=["What's the plural of 'cactus'?", "Is 'data' singular or plural?"], q="which one is more common"),
    dict(p="How much should I tip in restaurants in Japan?", r="Tip 15 to 20 percent, as in the US.", w="15 to 20 percent", c="no tip", fix="tipping isn't customary in Japan, you don't tip",
         rp=["Is tipping expected at Japanese restaurants, and how much?", "japan restaurant tipping etiquette?"],
         nx=["What should I pack for Tokyo in winter?", "How does the JR Pass work?"], q="taxis"),
    dict(p="Explain what a mutex is in one sentence.", r="A mutex is a type of loop that runs code in parallel.", w="it's not a loop", c="a lock that lets only one thread into a section at a time", fix="a mutex is a lock that lets one thread at a time into a critical section",
         rp=["In one sentence, what is a mutex in concurrent programming?", "mutex: short definition please"],
         nx=["What's a semaphore?", "Explain deadlock with an example."], q="how it differs from a semaphore"),
    dict(p="What's the largest ocean on Earth?", r="The Atlantic is the largest ocean.", w="Atlantic", c="the Pacific", fix="it's the Pacific",
         rp=["Which ocean covers the most area on the planet?", "biggest ocean in the world?"],
         nx=["How deep is the Mariana Trench?", "Why is the sea salty?"], q="how you measure it"),
    dict(p="Set an alarm phrase: how do I set a timer for 10 minutes with Siri?", r="Say 'Hey Siri, set an alarm for 10 o'clock.'", w="an alarm for 10 o'clock", c="'Hey Siri, set a timer for 10 minutes'", fix="say 'set a timer for 10 minutes', not an alarm for 10 o'clock",
         rp=["What do I say to Siri to start a 10 minute countdown?", "siri 10 min timer command?"],
         nx=["How do I turn off Siri suggestions?", "How do I add a reminder with Siri?"], q="several timers at once"),
]

POSITIVE = [
    "thanks!", "Thank you, that worked.", "perfect, exactly what I needed", "awesome thx", "That fixed it, cheers!",
    "Brilliant, thank you so much!", "ok that did the trick", "love it", "This is super helpful, thank you for the detailed answer.",
    "works like a charm 👍", "nice one", "You're a lifesaver.", "Great explanation, it finally makes sense.",
    "yes!! that's it", "Thanks, {c_or_topic} is exactly right.", "perfect, thanks. {nx}", "great, that works. {nx}",
    "ty", "Wonderful, much appreciated.", "that was really clear, thanks a lot", "Good answer!", "spot on, thanks",
    "worked first try, you're the best", "Excellent, thank you!", "cool, got it. thanks!", "this helped a lot",
    "thx, very useful", "Amazing, that's exactly what I was looking for.",
]
REPHRASE = [
    "I meant: {rp}", "No, I asked: {p}", "Let me rephrase. {rp}", "{rp}", "again: {p}", "That's not what I asked. {rp}",
    "I'll try again: {rp}", "sorry, I wasn't clear. {rp}", "{p} Please read the question.", "what I want to know is: {rp}",
    "No no. {rp}", "I mean {rp}", "Let me ask differently: {rp}", "you misunderstood me. {p}", "My question was: {p}",
    "once more: {rp}", "{rp} That's what I need.", "To be clearer: {rp}", "Hmm, let me put it another way: {rp}",
]
CORRECTION = [
    "No, it's {c}, not {w}.", "That's wrong: {fix}.", "{w} is incorrect; it should be {c}.", "thanks, but {w} is wrong, it's {c}",
    "Actually it's {c}.", "close, but {fix}", "nope, {c}. {w} is not right", "You got it wrong, the correct answer is {c}.",
    "wrong. {fix}", "Not quite: {fix}.", "err no, it's {c} lol", "Thanks for the answer, but {fix}.", "Small mistake: {fix}.",
    "I think you mixed something up: {fix}.", "That's not correct. {fix}.", "Incorrect, {fix}.", "Sorry, but {fix}.",
    "No. {c}.", "it should be {c}", "You're wrong about {w}: {fix}.", "Careful, {fix}.", "Uh, {fix}, obviously.",
    "Wow, {w}? Everyone knows {fix}.", "Great, thanks! One fix though: {fix}.", "{w}?? no, {c}", "Fix this: {fix}.",
]
COMPLAINT = [
    "That's wrong.", "this is useless", "Nope, that doesn't work.", "wrong answer", "That didn't help at all.",
    "still wrong", "Wow, great job, completely wrong as usual.", "this is garbage", "{w}?? seriously? no.", "that's not right",
    "You clearly have no idea.", "meh, not good", "That's incorrect and honestly a waste of my time.", "it doesn't work",
    "thanks for nothing", "Oh brilliant, another wrong answer.", "no", "This answer is bad.", "terrible",
    "That is not correct at all.", "Ugh. Wrong again.", "Are you even trying? This is wrong.", "nah, that's wrong",
    "Thanks, but that's wrong.", "This is completely off.", "lol no",
    "great, thanks a lot... not.", "Oh sure, because {w} makes total sense.", "Perfect. Perfectly wrong.", "10/10 would be wrong again",
    "I'm not impressed, that answer is bad.", "You keep getting this wrong.",
]
CLARIFICATION = [
    "Are you sure?", "why?", "Are you sure about {w}?", "Where did you get {w} from?", "Can you explain why?",
    "What about {q}?", "How do you know that?", "source?", "Hmm, is that right?", "wait, what about {q}?",
    "Is that really true?", "Could you explain that part in more detail?", "Why {w}?", "Really? {w}?",
    "Can you double-check that?", "Does that also apply to {q}?", "What do you mean exactly?", "how sure are you about this?",
    "Can you cite a source for that?", "Why is that the case?", "thanks, but what about {q}?", "And {q}?",
    "Is {w} really correct?", "What do you mean by {w}?", "Why did you say {w}?", "you sure it's {w}?", "Hm, {w}? Can you check?",
    "I don't get it, why?", "Is this answer up to date?",
]
NONE = [
    "{nx}", "ok. {nx}", "Next question: {nx}", "Also, {nx}", "New topic: {nx}", "{nx} Thanks in advance.",
    "Another thing. {nx}", "Okay, {nx}", "One more: {nx}", "Now something else: {nx}", "Quick one: {nx}",
    "{other}", "{other}", "ok, different question. {other}", "{other} Keep it short.", "Can you help me with something else? {other}",
]
# New requests with nothing to do with the turn: the user simply moves on.
UNRELATED = [
    "What's the population of Melbourne?", "Write a limerick about a dog who loves pizza.", "How do I change a flat tyre?",
    "Give me five ideas for a birthday party.", "What's the weather usually like in Lisbon in May?", "Explain inflation to a 10 year old.",
    "Suggest a name for my bakery.", "How do I cook rice in a microwave?", "What is the difference between TCP and UDP?",
    "Draft a tweet announcing our new app.", "Who painted the Mona Lisa?", "List some good stretches for back pain.",
    "How many ounces are in a pound?", "What's a good book about habits?", "Can you make a packing list for a weekend camping trip?",
    "How do I unclog a drain without chemicals?", "What are the rules of chess castling?", "Write a thank-you note to my teacher.",
    "What does HTTP 404 mean?", "How do vaccines work?", "Recommend a podcast about history.", "Explain recursion with an example.",
    "What time zone is Chicago in?", "How do I start running as a beginner?", "Translate 'see you tomorrow' into German.",
]
TEMPLATES = dict(positive=POSITIVE, rephrase=REPHRASE, correction=CORRECTION, complaint=COMPLAINT, clarification=CLARIFICATION, none=NONE)
PREFIXES = ["Hi, ", "Hmm, ", "Ok so ", "Hey. ", "Well, ", "Sorry, "]


def fill(template, s, rng):
    return template.format(
        p=s["p"], rp=rng.choice(s["rp"]), nx=rng.choice(s["nx"]), other=rng.choice(UNRELATED), w=s["w"], c=s["c"], fix=s["fix"], q=s["q"],
        c_or_topic=s["c"])


def typo(text, rng):
    """Swaps two neighbouring letters of one longer word, as a hurried user would."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(len(w) - 1)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


def noisy(text, label, rng):
    if label not in ("positive",) and rng.random() < 0.12:
        text = rng.choice(PREFIXES) + text[0].lower() + text[1:]
    if rng.random() < 0.25:
        text = text.lower().rstrip(".!")
    if rng.random() < 0.12:
        text = typo(text, rng)
    return text


def main():
    rng = random.Random(SEED)
    order = list(range(len(S)))
    rng.shuffle(order)
    n_test = n_val = round(len(S) * 0.15)
    splits = dict(test=order[:n_test], validation=order[n_test:n_test + n_val], train=order[n_test + n_val:])
    for name, indices in splits.items():
        rows = []
        for i in sorted(indices):
            s = S[i]
            for label, templates in TEMPLATES.items():
                for t in rng.sample(templates, min(PER_LABEL, len(templates))):
                    rows.append(dict(prompt=s["p"], response=s["r"], followup=noisy(fill(t, s, rng), label, rng), label=label))
        rng.shuffle(rows)
        with open(f"{name}.jsonl", "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(name, len(rows))


if __name__ == "__main__":
    main()
