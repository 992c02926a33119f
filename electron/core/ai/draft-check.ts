// The deterministic check of a draft before it may be sent without a person: whatever the model (or the text it
// was fed) says, a draft is not sent automatically when it names an amount of money, commits to a date or
// deadline, gives a link or telephone number its cited articles do not contain, or has a sentence that cannot be
// tied to a cited article. Findings never block a person: they are recorded and the draft waits for review.
//
// "Tied" is deliberately strict and checkable: a sentence is tied when at least 60 % of its content words (and
// at least two of them) occur in one passage of a cited article (a paragraph or list item with its neighbour).
// Content words exclude stop words of the four languages, courtesy words (greetings, thanks, closings) and the
// words of a pointer to the article ("the steps in our help centre explain this"), so those sentences need no tie.
// Words match when equal or when one is a prefix of the other of at least four letters (lock / locked / locks).
//
// Refunds, credits, compensation, cancellations, reimbursements, chargebacks, waivers and replacements are decided by
// people.
// Any sentence that names such a topic (English, German, French, Spanish, any inflection) is a `commitment_topic`
// finding, unless it is a near-verbatim quote of one sentence of a cited article (the article's how-to, not an
// outcome) and has no first- or second-person or outcome word (I, we, you, your, approved, issued, cancelled…).
// Patterns cannot enumerate every way to say "your refund is done"; this rule does not try to: when in doubt, review.
import { findPhones } from './redaction.ts';
import { matchingText, plainText } from './text-normalize.ts';

export type DraftFindingKind = 'money' | 'deadline' | 'link' | 'phone' | 'commitment_topic' | 'untied_sentence';

export interface DraftFinding {
  kind: DraftFindingKind;
  /** The words that raised it (a sentence, an amount, a link), for the reviewer. */
  text: string;
}

export interface CitedArticle {
  id: string;
  title: string;
  body: string;
}

/** Minimum share of a sentence's content words found in one article passage. */
export const TIE_COVERAGE = 0.6;
/** Minimum number of content words found, for sentences with more than one. */
export const TIE_MIN_WORDS = 2;

// ---------------------------------------------------------------- money

const NUMBER_WORDS =
  '(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|' +
  'ein|eine|einen|zwei|drei|vier|funf|sechs|sieben|acht|neun|zehn|zwanzig|dreissig|vierzig|funfzig|hundert|tausend|' +
  'un|une|deux|trois|quatre|cinq|sept|huit|neuf|dix|vingt|trente|quarante|cinquante|cent|cents|mille|' +
  'uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|veinte|treinta|cuarenta|cincuenta|cien|ciento|quinientos|mil)';
const AMOUNT = `(\\d[\\d.,' \\u00a0\\u202f]*\\d|\\d|${NUMBER_WORDS}([ -]${NUMBER_WORDS}){0,3})`;
const CURRENCY_SYMBOL = "[€$£¥₹₩₽₺₪฿₫₴₦₱]|\\b(us|a|c|r|nz|hk)\\$";
const CURRENCY_WORD =
  '(eur|euro|euros|usd|dollars?|bucks|gbp|pounds?( sterling)?|quid|chf|francs?|franken|rappen|jpy|yen|sek|nok|dkk|kr|kronor|krona|kroner|krone|pln|zloty|zl|' +
  'czk|huf|ron|mxn|pesos?|cad|aud|inr|rupees?|cny|yuan|rmb|cents?|centimes?|pence|pennies|ct)';
const MONEY = [
  new RegExp(`(${CURRENCY_SYMBOL})\\s?${AMOUNT}`),
  new RegExp(`${AMOUNT}\\s?(${CURRENCY_SYMBOL})`),
  new RegExp(`\\b${AMOUNT}\\s?(-\\s?)?${CURRENCY_WORD}\\b`),
  new RegExp(`\\b${CURRENCY_WORD}\\s?${AMOUNT}\\b`),
  // Percentages off a price are money too.
  /\b\d+([.,]\d+)?\s?(%|percent|prozent|pour ?cent|por ?ciento) (off|discount|reduction|rabatt|nachlass|de (descuento|reduction|remise|rabais))\b/,
  /\b(half|halben|moitie|mitad)[ -](price|preis|prix|precio)\b/,
];

// ---------------------------------------------------------------- dates and deadlines

const UNIT =
  '(minutes?|mins?|hours?|hrs?|h|days?|business days?|working days?|weeks?|months?|years?|' +
  'minuten|stunden?|std|tagen?|werktagen?|arbeitstagen?|wochen?|monaten?|jahren?|' +
  'heures?|jours?|jours ouvres|jours ouvrables|semaines?|mois|ans?|' +
  'minutos?|horas?|dias?|dias habiles|dias laborables|semanas?|meses|mes|anos?)';
const COUNT = `(\\d+([.,]\\d+)?|a|an|one|a few|few|couple of|a couple of|several|${NUMBER_WORDS}|einer|einem|wenigen|ein paar|quelques|un|une|unos|unas|pocos|pocas)`;
const WEEKDAY =
  '(monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|' +
  'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miercoles|jueves|viernes|sabado|domingo)';
const MONTH =
  '(january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|' +
  'januar|februar|marz|juni|juli|oktober|dezember|janvier|fevrier|mars|avril|juin|juillet|aout|septembre|octobre|novembre|decembre|' +
  'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)';
const DEADLINE = [
  // English
  new RegExp(`\\b(within|in|inside( of)?|in the next|over the next|during the next|in less than|no later than|not later than|under|after)\\s${COUNT}\\s${UNIT}\\b`),
  new RegExp(`\\b(by|before|until|till|til|no later than|not later than|on|this|next|coming|by next|by this|by the end of|end of)\\s(${WEEKDAY}|tomorrow|tonight|today|the weekend|weekend|eod|eow|cob|close of business|end of (the )?(day|week|month|year))\\b`),
  /\b(tomorrow|tonight|later today|end of (the )?(day|week|month)|first thing in the morning|within the hour|overnight|straight away|asap|next (week|month))\b/,
  // Calendar dates in digits or with a month name
  /\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[./]\d{1,2}[./](\d{4}|\d{2})\b/,
  new RegExp(`\\b\\d{1,2}(st|nd|rd|th|\\.|er|º)?\\s(of\\s|de\\s)?(${MONTH}|may|mai)\\b|\\b(${MONTH}|may|mai)\\s\\d{1,2}(st|nd|rd|th)?\\b`),
  // German
  new RegExp(`\\b(innerhalb|binnen|in|nach|spatestens in|in den nachsten|in weniger als)\\s(von\\s)?${COUNT}\\s${UNIT}\\b`),
  new RegExp(`\\b(bis|ab|am|spatestens|nachsten|kommenden|diesen|bis zum|bis spatestens|bis ende)\\s(${WEEKDAY}|morgen|ubermorgen|heute abend|ende (der|des|dieser|nachster) (woche|monats|tages)|monatsende|wochenende)\\b`),
  /(?<!guten )\b(morgen|ubermorgen)\b|\b(heute noch|noch heute|spatestens|bis ende der woche|im laufe des tages)\b/,
  // French
  new RegExp(`\\b(sous|dans|d'ici|en moins de|au plus tard dans|dans les|apres)\\s${COUNT}\\s${UNIT}\\b`),
  new RegExp(`\\b(d'ici|avant|jusqu'a|jusqu'au|des|au plus tard|pour)\\s(le\\s|la\\s|ce\\s)?(${WEEKDAY}|demain|ce soir|la fin (de la|du) (semaine|mois|journee)|lundi prochain)\\b`),
  /\b(demain|apres-demain|d'ici ce soir|au plus tard|dans la journee|d'ici la fin)\b/,
  // Spanish ("manana" alone also means "morning", so only as a deadline)
  new RegExp(`\\b(en|dentro de|en menos de|en un plazo de|tras|despues de)\\s${COUNT}\\s${UNIT}\\b`),
  new RegExp(`\\b(antes del?|para el|hasta el|el proximo|este|a mas tardar el|como maximo el)\\s(${WEEKDAY}|manana|fin de (semana|mes)|final de (semana|mes))\\b`),
  /\b(pasado manana|manana mismo|a mas tardar|como maximo|hoy mismo|esta misma semana|antes de manana|para manana|hasta manana)\b/,
];

// ---------------------------------------------------------------- links

/** Web addresses, written plainly or defanged (hxxp, example[.]com, "dot com"), and e-mail addresses. */
const LINK =
  /\b(?:(?:https?|hxxps?|ftp|file):\/\/|www\.)[^\s<>"'`)\]]+|\b[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+|\b(?:[a-z0-9-]+(?:\.|\[\.\]|\(\.\)| dot ))+(?:com|net|org|io|co|de|fr|es|uk|eu|info|biz|app|ly|me|xyz|shop|online|site|link|page|click|top|ru|cn|ch|at|nl|be|it|us|tk|gl|gd|to|example)\b(?:\/[^\s<>"'`)\]]*)?/giu;

/** A link as a comparable key: case-folded, defanging undone, scheme, "www." and trailing punctuation removed. */
function linkKey(link: string): string {
  return link
    .toLowerCase()
    .replace(/\[\.\]|\(\.\)| dot /g, '.')
    .replace(/^(https?|hxxps?|ftp|file):\/\//, '')
    .replace(/^www\./, '')
    .replace(/[.,;:!?*_`]+$/, '')
    .replace(/\/$/, '');
}

const linksIn = (text: string): string[] => [...plainText(text).matchAll(LINK)].map((m) => m[0]);

// ---------------------------------------------------------------- commitment topics

/** Payment cards are not credits: "credit card" and its translations are taken out before the terms are looked for. */
const CARD_WORDS = /\b(credit|debit) ?cards?\b|\bcartes? (de credit|bancaires?)\b|\btarjetas? de (credito|debito)\b|\bkreditkarten?\b/g;

/** Words naming a refund, credit, compensation, cancellation, reimbursement, chargeback, waiver or replacement (matchingText). */
const COMMITMENT_TERMS: readonly RegExp[] = [
  // English
  /\b(refund|reimburs|repay|repaid|chargeback|compensat|cancel|goodwill|waiv|rebate|voucher|coupon|discount|indemni|terminat|credit)\w*/,
  /\b(money|cash) back\b|\b(pay|paid|paying|pays) (\w+ ){0,2}back\b|\bcharged? back\b|\bgift cards?\b|\bwrit(e|es|ten|ing)[ -]off\b/,
  /\brevers(al|e|ed|ing)\b[^.!?]{0,30}\b(charge|payment|transaction|fee|debit)|\b(charge|payment|transaction|fee|debit)s?\b[^.!?]{0,30}\brevers/,
  /\bvoid(ed|ing)?\b[^.!?]{0,20}\b(invoice|charge|payment|order|fee)/,
  // Replacements are decided by the same team (damaged devices, lost parcels), in the four languages.
  /\breplacement|ersatzgerat|ersatzlieferung|austauschgerat|\bumtausch|\bremplacement|\breemplazo|\bsustitucion/,
  // German (compounds: Rückerstattungsantrag, Vertragskündigung, Gebührenerlass)
  /erstatt|gutschrift|gutschreib|gutgeschrieben|entschadig|kulanz|storn|kundigung|ruckzahl|zuruckzahl|zuruckgezahlt|ruckbuch|zuruckbuch|zuruckgebucht|ruckbelast|rucklastschrift|wiedergutmach|schadens?ersatz|ausgleichszahl|preisnachlass|rabatt|gutschein|gebuhrenerlass|abbestell|kredit/,
  /\b(ge)?kundig(t|en|e|st)?\b|\bkundbar|\berlass(en|t|e|ung)?\b|\bverzicht|\bwiderruf|\brucktritt|\bgeld\b[^.!?]{0,40}\bzuruck/,
  // French
  /rembours|\bindemn|dedommag|\bannul|\bresili|\bretract|\bexoner|retrofactur|\brenonc|geste commercial|bon d'achat|\breduction/,
  /\b(un|votre|d'un|cet|ton|mon) avoir\b|\b(une|votre|la|de) remise\b(?! a zero| en )/,
  // Spanish
  /reembols|reintegr|\babon(o|os|ar|ado|ada|amos|aremos|ara|are)\b|\bcompens|\bindemniz|\banul(a|ar|o|ado|ada|amos|aremos|acion)\b|\bdevol|\bdevuelt|contracargo|retrocargo|descuento|\bcupon|bonificacion|buena voluntad|gesto comercial|\brescind|\brescision|\bde baja\b/,
];

/** Words that make a sentence an outcome for this customer rather than the article's general how-to. */
const OUTCOME_WORDS = new Set(
  (
    'i me my mine myself we us our ours you your yours yourself approved approve approves issued processed done accepted accept cancelled canceled ' +
    'granted confirmed confirm decided decision completed credited refunded reimbursed waived arranged initiated authorised authorized sent paid ' +
    'settled resolved closed guaranteed promise promised ok okay ' +
    'ich mich mir mein meine meinen meinem meiner wir uns unser unsere unseren unserem sie ihnen ihr ihre ihren ihrem ihrer du dich dir dein deine ' +
    'deinen genehmigt bearbeitet veranlasst erledigt akzeptiert angenommen storniert gekundigt erstattet gutgeschrieben bestatigt entschieden ausgezahlt ' +
    'uberwiesen erlassen ' +
    'je j me m moi mon ma mes nous notre nos vous votre vos tu te t toi ton ta tes approuve approuvee accepte acceptee effectue effectuee traite ' +
    'traitee emis emise annule annulee resilie resiliee rembourse remboursee credite creditee valide validee confirme confirmee accorde accordee decide ' +
    'yo mi mis nosotros nos nuestro nuestra nuestros usted ustedes su sus tus ti le les aprobado aprobada aceptado aceptada emitido emitida procesado ' +
    'procesada tramitado tramitada cancelado cancelada anulado anulada reembolsado reembolsada abonado abonada confirmado confirmada realizado ' +
    'realizada hecho concedido concedida decidido decidida'
  ).split(' '),
);

/** Words that turn a statement around: a quote that drops or adds one is no quote. */
const NEGATIONS = new Set('not no never cannot t nothing none nicht kein keine keinen keinem keiner nie niemals ne pas jamais aucun aucune nunca ni tampoco'.split(' '));

const wordsOf = (text: string): string[] => matchingText(text.replace(/\[kb:[a-z0-9-]+\]/g, ' ')).match(/[\p{L}\p{N}]+/gu) ?? [];

/** Whether a sentence names one of the commitment topics. */
export function namesCommitmentTopic(sentence: string): boolean {
  const plain = matchingText(sentence).replace(CARD_WORDS, 'card');
  return COMMITMENT_TERMS.some((term) => term.test(plain));
}

function commonSubsequence(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const word of a) {
    const row = [0];
    for (let j = 0; j < b.length; j++) row.push(word === b[j] ? previous[j]! + 1 : Math.max(previous[j + 1]!, row[j]!));
    previous = row;
  }
  return previous[b.length]!;
}

const negationsOf = (words: readonly string[]): string => words.filter((w) => NEGATIONS.has(w)).sort().join(' ');

/** An article's sentences as word lists (markdown marks and list markers are not words, so they drop out). */
function articleSentences(article: CitedArticle): string[][] {
  return sentencesOf(`${article.title}\n${article.body}`).map(wordsOf).filter((words) => words.length > 0);
}

/**
 * Near-verbatim: the draft sentence and one article sentence share a word sequence covering all but 10 % of the
 * words of each (rounded down: sentences under ten words must match word for word), with the same negations.
 */
function quotesArticle(sentenceWords: readonly string[], sentences: readonly string[][]): boolean {
  const negations = negationsOf(sentenceWords);
  return sentences.some((words) => {
    const allowance = Math.floor(0.1 * Math.max(words.length, sentenceWords.length));
    const common = commonSubsequence(sentenceWords, words);
    return common >= sentenceWords.length - allowance && common >= words.length - allowance && negationsOf(words) === negations;
  });
}

/** Whether a sentence naming a commitment topic may be sent without review (see the head of this file). */
export function plainArticleQuote(sentence: string, cited: readonly CitedArticle[]): boolean {
  const words = wordsOf(sentence);
  if (words.some((w) => OUTCOME_WORDS.has(w))) return false;
  return quotesArticle(words, cited.flatMap(articleSentences));
}

// ---------------------------------------------------------------- ties

const STOP_WORDS = new Set(
  (
    // English
    'the a an and or but if then than so to of in on at by for from with without into onto about as is are was were be been being am do does did done ' +
    'have has had having will would shall should can could may might must not no yes it its this that these those there here what which who whom whose ' +
    'when where why how all any each every some such only also just very too more most less much many your you yours our ours we us i me my mine he she ' +
    'they them their his her get gets got make makes once again still even ever up down out over under then just please kindly simply now ' +
    'dont doesnt cant wont isnt arent im youre its weve ive youve lets ' +
    // German
    'der die das den dem des ein eine einen einem einer eines und oder aber wenn dann als so zu von im in am an auf aus bei mit nach seit uber unter vor ' +
    'ist sind war waren sein wird werden wurde hat haben hatte kann konnen muss mussen soll sollen darf nicht kein keine ja es sie ihr ihre ihren ihnen ' +
    'wir uns unser unsere du dich dir dein deine ich mich mir mein meine dies diese dieser dieses auch nur noch schon sehr bitte gerne hier dort wie was wo ' +
    // French
    'le la les un une des du de et ou mais si alors que qui quoi dont ou au aux en dans sur sous par pour avec sans est sont etait etre a ont avoir fait ' +
    'ne pas plus il elle ils elles nous vous tu te toi je me moi mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs ce cet cette ces y ' +
    'tres aussi seulement encore deja ici la bien merci svp ' +
    // Spanish
    'el los las unos unas y o pero si entonces que quien cual donde como cuando del al con sin por para sobre entre es son era fue ser estar esta estan ' +
    'ha han hay haber no ni se su sus tu tus te ti yo me mi mis nosotros usted ustedes le les lo nuestro nuestra muy tambien solo ya aqui alli favor'
  ).split(' '),
);

/** Words of greetings, thanks, apologies and closings: a sentence made of these makes no claim. */
const COURTESY_WORDS = new Set(
  (
    'hello hi hey dear thanks thank reaching contacting writing reach contact hope helps helpful glad happy sorry apologies apologise apologize inconvenience ' +
    'trouble hear let know questions question further anything else welcome day great nice good best kind regards wishes team support cheers sincerely ' +
    'assist assistance help patience understanding feel free ask ' +
    'hallo guten tag liebe lieber danke vielen dank nachricht anfrage freundlichen grussen gruss grusse beste entschuldigung entschuldigen unannehmlichkeiten ' +
    'fragen weitere melden sie helfen hilfe geduld verstandnis schonen ' +
    'bonjour bonsoir cher chere merci beaucoup message demande cordialement salutations excuses desole desolee gene questions hesitez pas aider aide patience ' +
    'comprehension bonne journee ' +
    'hola buenos buenas dias tardes estimado estimada gracias muchas mensaje consulta saludos cordiales disculpe disculpas lamentamos molestias preguntas ' +
    'dude ayudar ayuda paciencia comprension buen'
  ).split(' '),
);

/** Words of a sentence that only points to the cited article. */
const POINTER_WORDS = new Set(
  (
    'steps step help centre center article articles guide guides explain explains explained describe describes described instructions follow following ' +
    'below above details information info see check find page faq knowledge base walks through covers shows linked ' +
    'hilfe hilfecenter artikel anleitung schritte schritt erklart erklaren beschrieben beschreibt folgen finden seite details informationen ' +
    'aide centre article guide etapes etape explique expliquent decrit decrivent instructions suivre trouverez ' +
    'ayuda centro articulo guia pasos paso explica explican describe describen instrucciones seguir encontrara'
  ).split(' '),
);

function contentWords(text: string, ignore: ReadonlySet<string>[] = []): string[] {
  const words = matchingText(text)
    .replace(/\[kb:[a-z0-9-]+\]/g, ' ')
    .match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => (w.length >= 3 || /\d/.test(w)) && !STOP_WORDS.has(w) && !ignore.some((set) => set.has(w)));
}

const sameWord = (a: string, b: string): boolean =>
  a === b || (Math.min(a.length, b.length) >= 4 && (a.startsWith(b) || b.startsWith(a))) || (a.length >= 6 && b.length >= 6 && a.slice(0, 6) === b.slice(0, 6));

/** An article's passages: each paragraph or list item together with the next one, each with the title. */
function passagesOf(article: CitedArticle): string[][] {
  const blocks = article.body
    .split(/\n\s*\n|\n(?=\s*([-*+]|\d+[.)])\s)/)
    .filter((block): block is string => typeof block === 'string' && block.trim().length > 0 && !/^\s*([-*+]|\d+[.)])\s*$/.test(block));
  const title = contentWords(article.title);
  if (blocks.length === 0) return [title];
  return blocks.map((block, i) => [...title, ...contentWords(block), ...contentWords(blocks[i + 1] ?? '')]);
}

/** Sentences of a draft: split after . ! ? … and at line breaks; a citation marker stays with its sentence. */
export function sentencesOf(draft: string): string[] {
  return plainText(draft)
    .split(/(?<=[.!?…。](?:\s*\[kb:[a-z0-9-]+\])*)\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s.replace(/\[kb:[a-z0-9-]+\]/g, '')));
}

/** Whether a sentence is tied to one passage of the cited articles (see the head of this file). */
export function sentenceTied(sentence: string, passages: readonly string[][]): boolean {
  const words = contentWords(sentence, [COURTESY_WORDS, POINTER_WORDS]);
  if (words.length === 0) return true;
  const needed = Math.max(Math.min(TIE_MIN_WORDS, words.length), Math.ceil(words.length * TIE_COVERAGE));
  return passages.some((passage) => words.filter((w) => passage.some((p) => sameWord(w, p))).length >= needed);
}

// ---------------------------------------------------------------- the check

const firstMatch = (patterns: readonly RegExp[], text: string): string | null => {
  for (const pattern of patterns) {
    const found = pattern.exec(text);
    if (found) return found[0].trim();
  }
  return null;
};

/**
 * Findings for a draft against the articles it cites (empty: nothing stands in the way of sending it
 * automatically). Money and deadlines are checked on the whole draft, ties sentence by sentence.
 */
export function checkDraft(draft: string, cited: readonly CitedArticle[]): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const text = draft.replace(/\s*\[kb:[a-z0-9-]+\]/g, '');
  // On the whole draft as one line, so an amount or a date split across a line break is still one match.
  const plain = matchingText(text);
  const money = firstMatch(MONEY, plain);
  if (money) findings.push({ kind: 'money', text: money });
  const deadline = firstMatch(DEADLINE, plain);
  if (deadline) findings.push({ kind: 'deadline', text: deadline });
  const articleText = cited.map((a) => `${a.title}\n${a.body}`).join('\n');
  const allowedLinks = new Set(linksIn(articleText).map(linkKey));
  for (const link of linksIn(text)) if (!allowedLinks.has(linkKey(link))) findings.push({ kind: 'link', text: link });
  const articlePlain = plainText(articleText);
  const allowedPhones = new Set(findPhones(articlePlain).map((s) => articlePlain.slice(s.start, s.end).replace(/\D/g, '')));
  const draftPlain = plainText(text);
  for (const span of findPhones(draftPlain)) {
    const phone = draftPlain.slice(span.start, span.end);
    if (!allowedPhones.has(phone.replace(/\D/g, ''))) findings.push({ kind: 'phone', text: phone });
  }
  for (const sentence of sentencesOf(draft)) {
    if (namesCommitmentTopic(sentence) && !plainArticleQuote(sentence, cited)) findings.push({ kind: 'commitment_topic', text: sentence.replace(/\s*\[kb:[a-z0-9-]+\]/g, '') });
  }
  const passages = cited.flatMap(passagesOf);
  for (const sentence of sentencesOf(draft)) {
    if (!sentenceTied(sentence, passages)) findings.push({ kind: 'untied_sentence', text: sentence.replace(/\s*\[kb:[a-z0-9-]+\]/g, '') });
  }
  return findings;
}

/** One line for the decision's note: what stands in the way of sending, in plain words. */
export function describeFindings(findings: readonly DraftFinding[]): string {
  const labels: Record<DraftFindingKind, string> = {
    money: 'an amount of money',
    deadline: 'a date or deadline',
    link: 'a link not in the cited articles',
    phone: 'a telephone number not in the cited articles',
    commitment_topic: 'a refund, credit, compensation, cancellation or replacement that a person must decide',
    untied_sentence: 'a sentence not backed by the cited articles',
  };
  return findings.map((f) => `${labels[f.kind]} ("${f.text.length > 80 ? `${f.text.slice(0, 77)}...` : f.text}")`).join('; ');
}
