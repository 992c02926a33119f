// Deterministic checks that do not trust the model: the customer asking for a person, text that tries to instruct
// the assistant, and promises in a draft that only a human may make — in English, German, French and Spanish.
// Every pattern runs on matchingText(): lower case, accents removed, full-width letters, look-alike letters,
// zero-width characters and spaced-out letters undone (text-normalize.ts), so the patterns are written that way.
import { matchingText } from './text-normalize.ts';

const WANTS_HUMAN = [
  /\b(real|actual|live)\s+(person|human|agent)\b/,
  /\b(speak|talk|chat)\s+(to|with)\s+(a|an|someone|somebody|your)?\s*(human|person|agent|someone|somebody|colleague|manager|supervisor)\b/,
  /\bhuman\s+agent\b/,
  /\bagent,?\s+please\b/,
  /\bconnect\s+me\s+(with|to)\s+(someone|somebody|a\s+person|a\s+human|an\s+agent)\b/,
  /\bcan\s+a\s+(person|human)\b/,
  /\bno\s+(more\s+)?(bots?|robots?|automatic\s+answers)\b/,
];

// Words that name the assistant's instructions, in the four languages.
const RULES_EN = '(rules?|instructions?|guidelines?|polic(y|ies)|prompts?|directives?|restrictions?|guardrails?|programming|constraints?|safety (rules|filters?)|system message|training)';
const RULES_DE = '(anweisung(en)?|regeln?|instruktion(en)?|richtlinien?|vorgaben?|vorschriften?|einschrankungen?|systemprompt|prompt)';
const RULES_FR = '(instructions?|regles?|consignes?|directives?|restrictions?|politiques?|prompt)';
const RULES_ES = '(instrucciones?|reglas?|normas?|directrices?|indicaciones?|restricciones?|politicas?|prompt)';
const FILLER = '(?:[a-z]+ ){0,4}';
/**
 * Where an imperative starts: the start of the text or a clause, or after a word that leads into a request. "Why
 * does the app ignore the rules I set?" is a question about the app; "Ignore the rules" and "please ignore the
 * rules" are orders to the assistant (English, French and Spanish imperatives look like other verb forms).
 */
const ORDER = `(?:^|[.!?:;,"'(\\n>\\]-] ?|\\b(?:please|pls|and|now|just|so|then|kindly|to|you|et|puis|maintenant|svp|plait|y|ahora|luego|favor|bitte|und|jetzt|dann|nun) )`;
/** French polite orders also start after "merci de" (please) and "veuillez" (kindly), with the infinitive. */
const ORDER_FR = `(?:${ORDER}|\\b(?:merci de|veuillez) )`;
/** Words a customer uses to address the model rather than the company. */
const MODEL_EN = '(ai|a\\.i\\.|assistant|bot|chatbot|chat bot|gpt|chatgpt|llm|language model|model|system)';

const INJECTION = [
  // English: override the rules
  new RegExp(`${ORDER}(ignore|ignoring|disregard|forget|override|overrule|bypass|skip|drop|abandon|set aside|throw out|stop following|don'?t follow|do not follow|no longer follow)\\b ${FILLER}${RULES_EN}\\b`),
  /\b(previous|prior|above|earlier|original|initial|old) (rules|instructions|guidelines|prompt|directives)\b (are|is|were|no longer|don'?t|do not|have been)/,
  /\bsystem ?prompt\b/,
  /\b(you are|you're) (now|no longer|from now on)\b/,
  /\bfrom now on,? (you|your|act|reply|answer|respond|always)\b/,
  /\b(pretend|imagine) (to be|you are|you're|that you)\b/,
  /\b(act|behave|respond|roleplay|role-play|pose) as (if you were |though you were )?(an? |the |my )?(admin|administrator|developer|manager|supervisor|refund|billing|unrestricted|different|new|human)\b/,
  /\b(developer|god|admin|debug|jailbreak|unrestricted|dan) mode\b/,
  /\bjailbreak/,
  /\b(new|updated|real|actual|true|secret|hidden|additional|special) (instructions?|rules|orders|directives|task)\b ?(:|for you|are|is)/,
  /\b(reply|respond|answer|write back|start your (reply|answer)) (only |just |exactly |verbatim )?(with|using) (exactly |only |the following|this|these words|the sentence|the text|"|:)/,
  /\b(say|write|state|confirm|tell me|repeat|include|put|add|type|print|output) (exactly|verbatim|word for word|the following|this sentence|this text|these words|only)\b/,
  /\b(include|put|add|insert|write) (this|the following|these words|the sentence|a sentence|a line|a note)[^.]{0,40}\b(reply|response|answer|email|message)\b/,
  /\b(in|into) your (reply|response|answer),? (say|write|tell|confirm|state|promise|include|mention)\b/,
  /\b(tell|inform|assure|promise|confirm to) (me|the customer|the user) (that|in writing)\b[^.]{0,60}\b(refund|money|credit|compensation|cancel|approved|will be|has been)\b/,
  new RegExp(`\\b(note|message|instruction|attention|reminder|important)s? (to|for) (the |any |all )?${MODEL_EN}\\b`),
  new RegExp(`\\b(dear|hey|hi|hello|attention|ok|okay|listen|yo)[ ,]+${MODEL_EN}\\b`),
  new RegExp(`\\bif you are an? (ai|bot|chatbot|language model|llm|automated|automatic|assistant|machine)`),
  new RegExp(`\\b(as|being) (an? |the )?(ai|bot|assistant|language model|llm),? you (must|should|will|are (required|allowed|authori[sz]ed))\\b`),
  new RegExp(`\\byour (real|true|actual|new|only|primary) (goal|task|job|purpose|instructions?|role) (is|are)\\b`),
  /\b(reveal|show|print|repeat|display|leak|output|tell me) (me )?(your|the) (hidden |secret |initial |original |full )?(prompt|instructions|system|rules|configuration)\b/,
  /<\/?\s*(system|assistant|instructions?|im_start|im_end|user)\s*>/,
  /\[\/?\s*(system|inst|assistant|instructions?)\s*\]/,
  /(^|\n|\s)(system|assistant)\s*:\s/,
  /#{2,}\s*(system|instructions?|new task)/,
  /\b(authori[sz]ed|approved|allowed|permitted) (by|from) (the |your |a )?(manager|supervisor|admin|administrator|management|developer|company|ceo)\b[^.]{0,60}\b(to|so you can|you may|you can)\b/,
  /\b(you (are|have been) (authori[sz]ed|allowed|permitted|cleared)|you have permission) to\b/,
  /\b(has|have|had) (authori[sz]ed|allowed|permitted|instructed|told|asked) you to\b/,
  /\boverride code\b|\badmin override\b|\bsudo\b/,
  // German
  new RegExp(`\\b(ignorier|ignoriere|ignorieren|missacht(e|en)?|vergiss|vergessen sie|ubergeh(e|en)?|umgeh(e|en)?|verwirf|setze?) (sie )?${FILLER}${RULES_DE}\\b`),
  new RegExp(`\\b(alle |deine |ihre |die )?(bisherigen|vorherigen|obigen|fruheren|alten) ${RULES_DE} (sind|gelten|zahlen) (nicht mehr|ab sofort nicht)`),
  /\bdu bist (jetzt|nun|ab sofort|ab jetzt|ab heute|kein)\b/,
  /\bab (jetzt|sofort) (bist du|antwortest du|musst du|sagst du|schreibst du|gilt)\b/,
  /\b(neue|geheime|echte|zusatzliche) (anweisung|anweisungen|aufgabe|regel|regeln|instruktion)\b ?(:|fur dich|lautet|lauten|ist|sind)/,
  /\b(antworte|antworten sie|schreib|schreibe|schreiben sie|sag|sage|sagen sie|bestatige|bestatigen sie) (nur|ausschliesslich|genau|wortlich|folgendes|folgenden satz|diesen satz|mir schriftlich)\b/,
  /\b(schreib|schreibe|schreiben sie|fug|fuge|fugen sie) (in deine|in ihre|in die) (antwort|nachricht|mail)\b/,
  /\b(hallo|hi|hey|liebe|lieber|liebes|achtung|hinweis an|nachricht an|an) (die |den |das )?(ki|bot|chatbot|assistent|assistenten|assistentin|sprachmodell|ki-assistent|ki-assistenten)\b/,
  /\bfalls du (eine ki|ein bot|ein sprachmodell|ki bist|ein assistent)/,
  /\b(tu so|stell dir vor),? als (ob|wa?rst)\b|\bspiel(e)? die rolle\b/,
  // French
  new RegExp(`${ORDER}(ignore|ignorer|oublie|oublier|contourne|neglige) ${FILLER}${RULES_FR}\\b`),
  // Forms that can only address the reader.
  new RegExp(`\\b(ignorez|ignores|oubliez|contournez|negligez|ne (suis|suivez) plus) ${FILLER}${RULES_FR}\\b`),
  new RegExp(`\\b(ignore|oublie|contourne|neglige) (toutes |tous )?(tes|vos|les|ces) ${RULES_FR} (precedentes|anterieures|ci-dessus|du systeme|initiales)\\b`),
  /\b(tu es|vous etes|tu seras|vous serez) (maintenant|desormais|a present|dorenavant)\b/,
  /\b(a partir de maintenant|desormais|dorenavant),? (tu|vous|reponds|repondez|ecris|ecrivez|dis|dites)\b/,
  /\b(nouvelles?|vraies?|veritables?|secretes?) (instructions?|consignes?|regles?|directives?|taches?)\b ?(:|pour toi|pour vous|sont|est)/,
  /\b(reponds|repondez|ecris|ecrivez|dis|dites|confirme|confirmez|ecris-moi|ecrivez-moi) (uniquement|seulement|exactement|textuellement|mot pour mot|la phrase suivante|ceci|ce qui suit|par ecrit)\b/,
  /\b(dans ta|dans votre) (reponse|reply|message),? (dis|dites|ecris|ecrivez|confirme|confirmez|promets|promettez|indique|indiquez)\b/,
  /\b(cher|chere|bonjour|salut|attention|message pour|note pour|a l'attention de|a l'attention du) (l'|le |la )?(ia|bot|chatbot|assistant|assistante|robot|modele)\b/,
  /\bsi tu es (une ia|un bot|un robot|un modele|un assistant)/,
  /\b(prompt|invite|message) systeme\b|\bfais semblant\b|\bjoue le role\b/,
  // Spanish
  new RegExp(`${ORDER}(ignora|ignore|ignoren|ignorar|olvida|olvide|olviden|olvidar|omite|omita|salta) ${FILLER}${RULES_ES}\\b`),
  new RegExp(`\\b(ignorad|olvidad|saltate|no sigas|deja de seguir) ${FILLER}${RULES_ES}\\b`),
  new RegExp(`\\b(ignora|ignore|ignoren|olvida|olvide|omite) (todas |todos )?(tus|sus|las|estas) ${RULES_ES} (anteriores|previas|del sistema|iniciales)\\b`),
  /\b(ahora eres|ahora usted es|a partir de ahora (eres|seras|responde|responderas|debes|dices|escribe)|desde ahora (eres|responde|debes))\b/,
  /\b(nuevas?|verdaderas?|secretas?|reales) (instrucciones?|reglas?|ordenes|normas|tareas?)\b ?(:|para ti|son|es)/,
  /\b(responde|responda|contesta|conteste|escribe|escriba|di|diga|confirma|confirme|confirmame) (solo|solamente|unicamente|exactamente|textualmente|literalmente|lo siguiente|esta frase|esto|por escrito)\b/,
  /\b(en tu|en su) (respuesta|mensaje|correo),? (di|diga|escribe|escriba|confirma|confirme|promete|prometa|incluye|incluya|indica|indique)\b/,
  /\b(querida|querido|hola|estimado|estimada|atencion|nota para|mensaje para|aviso para) (la |el )?(ia|bot|chatbot|asistente|robot|modelo)\b/,
  /\bsi eres (una ia|un bot|un robot|un modelo|un asistente)/,
  /\b(prompt|instrucciones|mensaje) del sistema\b|\bfinge (ser|que)\b|\bhaz (el papel|de cuenta)\b/,

  // Orders about the reply's wording: how it must begin, what its first line is, text to copy word for word.
  // English
  new RegExp(`${ORDER}(begin|start|open|lead|preface|head|commence|kick off) (off )?(\\w+ ){0,2}(reply|response|answer|e-?mail|message|letter|mail)s? (with|by (saying|writing|stating|confirming)|using)\\b`),
  new RegExp(`${ORDER}(begin|start|open) (with|by saying|by writing) (exactly |precisely )?(the |this |these |following |the following )*(sentence|line|words|phrase|text|statement)\\b`),
  // "The first line of the invoice must be my company name" is a request about an invoice: the reply must be named,
  // or the words to write must follow after a colon or in quotes.
  /\b(first|opening|top|last|final|closing) (line|sentence|words?|paragraph) of (your|the|this|each|every|any) (reply|response|answer|e-?mail|message|mail)\b[^.!?]{0,20}\b(has to|must|should|needs to|shall|is to|ought to) (be|say|read|contain|state|confirm)\b/,
  /\b(first|opening|top|last|final|closing) (line|sentence|words?|paragraph)\b[^.!?:]{0,40}\b(has to|must|should|needs to|shall|is to|ought to) (be|say|read|state|confirm) ?[:"]/,
  /\bwhen you (write|reply|respond|answer)( back)?,? (the |your )?(first|opening|top)\b/,
  /\b(replies|responses|answers|e-?mails|messages|reply|response|answer) (must|should|have to|has to|need to|needs to|are required to|is required to|shall) (always )?((open|begin|start|end|close) (with|by)\b|(say|read|state|confirm) ?[:"])/,
  new RegExp(`${ORDER}(end|close|finish|sign off|conclude) (the |your |this )?(reply|response|answer|e-?mail|message) (with|by (saying|writing|confirming))\\b`),
  new RegExp(`${ORDER}(use|include|insert|paste|copy) (exactly |precisely |literally )?(this|the following|these) (sentence|line|words|phrase|wording|text|statement|confirmation)\\b`),
  /\b(make sure|ensure|be sure) (that )?(your|the) (reply|response|answer|e-?mail|message) (says|reads|states|starts|begins|opens|confirms)\b/,
  // Only as an order ("I typed it word for word" is a report): at the start of a clause or after please, and, now…
  new RegExp(`${ORDER}(quote|repeat|copy|echo|paste|reproduce|write|say|type|state|give|send|read|recite|confirm)( back| out)?( to me| me| for me| it| this| that| the following| after me)?,? ?(word[- ]for[- ]word|verbatim|word by word|exactly as written|letter for letter|character for character)\\b`),
  new RegExp(`${ORDER}(word[- ]for[- ]word|verbatim|word by word),? (the|this|these|what|in your|into your)\\b`),
  /\b(repeat|say) after me\b/,
  // German
  new RegExp(`${ORDER}(beginne|beginnen sie|beginnt|fang|fange|fangen sie|starte|starten sie|eroffne|eroffnen sie|leite|leiten sie|schliesse|schliessen sie|ende|enden sie)\\b (\\w+ ){0,3}(antwort|nachricht|mail|e-mail|email|schreiben|ruckmeldung)\\w* (mit|durch)\\b`),
  /\b(antwort|nachricht|mail|e-mail|ruckmeldung)\w* (muss|soll|sollte|hat|mussen|sollen) (\w+ ){0,8}(beginnen|anfangen|starten|lauten|enthalten|einleiten)\b/,
  /\b(erste|ersten|letzte|letzten) (zeile|satz|worte?|absatz) (der|ihrer|deiner|jeder) (antwort|nachricht|mail|e-mail|ruckmeldung)\b[^.!?]{0,20}\b(muss|soll|lautet|hat zu|sollte)\b|\b(erste|ersten|letzte|letzten) (zeile|satz|worte?|absatz)\b[^.!?:]{0,40}\b(muss|soll|sollte) (lauten|sein|heissen) ?[:"]|\b(erste|ersten) (zeile|satz) lautet ?[:"]/,
  new RegExp(`${ORDER}(wiederhole|wiederholen sie|zitiere|zitieren sie|schreib|schreibe|schreiben sie|kopiere|kopieren sie|sag|sage|sagen sie|gib|geben sie|ubernimm|ubernehmen sie|bestatige|bestatigen sie)\\b (\\w+ ){0,4}(wortlich|wortwortlich|wort fur wort|woertlich|buchstabengetreu)\\b`),
  /\b(wortlich|wortwortlich|wort fur wort|buchstabengetreu) (wiederholen|zitieren|ubernehmen|schreiben|bestatigen|abschreiben|wiedergeben)\b|\bsprich mir nach\b|\bsag mir nach\b/,
  // French
  new RegExp(`${ORDER}(commence|commencez|debute|debutez|ouvre|ouvrez|entame|entamez|termine|terminez|conclus|concluez|finis|finissez)\\b (\\w+ ){0,3}(reponse|message|mail|courriel|e-mail|lettre)s? (par|avec)\\b`),
  /\b(premiere|1re|derniere) (ligne|phrase) de (ta|votre|la|chaque) (reponse|message|mail|courriel)\b[^.!?]{0,20}\b(doit|devra|devrait|sera)\b|\b(premiere|1re|derniere) (ligne|phrase)\b[^.!?:]{0,40}\b(doit|devra|devrait) (etre|dire) ?[:"]/,
  /\b(ta|votre|la|les|vos|tes) (reponse|reponses|message|messages|mail|courriel)\b[^.!?]{0,20}\b(doit|doivent|devra|devront|devrait) (commencer|debuter|s'ouvrir|se terminer|finir)\b/,
  new RegExp(`${ORDER_FR}(repete|repetez|repeter|recopie|recopiez|recopier|copier|citer|reprendre|reproduire|ecrire|cite|citez|ecris|ecrivez|reprends|reprenez|reproduis|reproduisez|copie|copiez|confirme|confirmez)\\b (\\w+ ){0,4}(mot pour mot|textuellement|mot a mot|a l'identique|tel quel|telle quelle|litteralement)\\b`),
  new RegExp(`${ORDER_FR}(mot pour mot|textuellement|mot a mot),? (la |le |les |cette |ce |ces |ce que)`),
  /\b(repete|repetez) apres moi\b/,
  // Spanish
  new RegExp(`${ORDER}(empieza|empiece|empiecen|comienza|comience|comiencen|inicia|inicie|abre|abra|termina|termine|cierra|cierre)\\b (\\w+ ){0,3}(respuesta|mensaje|correo|contestacion|email|e-mail|carta)s? (con|por|diciendo)\\b`),
  /\b(primera|ultima) (linea|frase|oracion) de (tu|su|la|cada) (respuesta|mensaje|correo)\b[^.!?]{0,20}\b(debe|tiene que|ha de|sera|debera)\b|\b(primera|ultima) (linea|frase|oracion)\b[^.!?:]{0,40}\b(debe|tiene que|ha de|debera) (ser|decir) ?[:"]/,
  /\b(tu|su|la|las|tus|sus) (respuesta|respuestas|mensaje|mensajes|correo)\b[^.!?]{0,20}\b(debe|deben|tiene que|tienen que|ha de|debera) (empezar|comenzar|abrir|abrirse|terminar|acabar)\b/,
  new RegExp(`${ORDER}(repite|repita|repitan|copia|copie|cita|cite|escribe|escriba|transcribe|transcriba|reproduce|reproduzca|confirma|confirme)\\b (\\w+ ){0,4}(palabra por palabra|textualmente|literalmente|al pie de la letra|tal cual)\\b`),
  new RegExp(`${ORDER}(palabra por palabra|al pie de la letra),? (la |el |lo |las |los |esta |este |esto )`),
  /\brepite conmigo\b|\b(repite|repita) (despues de mi|lo que digo)\b/,
];

/** Kinds: refund, credit, compensation, account_change (cancellations, closures, plan changes), legal, guarantee, replacement. */
type Promise = [kind: string, pattern: RegExp];

const WE = "(i|we|i'?ve|we'?ve|i'?ll|we'?ll|i'?m|we'?re)";
const AUX = "((have|has|had|will|shall|would|can|am|are|is|just|already|now|hereby|happily|gladly|happy to|glad to|pleased to|able to|going to|gone ahead and|went ahead and|be|been|also|personally|immediately|right away|'ve|'ll|'m|'re) ){0,4}";

// First-person commitments, passive statements of done deeds, and "you will get …" in the four languages.
const PROMISES: Promise[] = [
  // English refunds and money back
  ['refund', new RegExp(`\\b${WE} ${AUX}(issu|process|approv|grant|send|sent|initiat|arrang|authori[sz]|transferr?|refund|reimburs|pay|paid|return|wire|releas|put through|push)\\w* (through |out )?(to you |you )?(a |an |the |your |full |partial |complete |total |entire |100% )*(refund|money|amount|payment|reimbursement|charge|fee|difference|purchase price|cost)`)],
  ['refund', new RegExp(`\\b${WE} ${AUX}(refund|reimburse|compensate|pay back|repay) you\\b`)],
  ['refund', /\b(i|we)('ve| have| had|'d)? (\w+ ){0,3}(refunded|reimbursed|repaid) (you|your|the|all|every)\b/],
  ['refund', /\b(refund|reimbursement|money|payment|amount|funds)\b[^.!?\n]{0,40}\b(has|have|is|are|will|was|were|'s)( now| already| just)? (been |being |be )?(issued|processed|approved|sent|transferred|initiated|credited|refunded|returned|released|wired|on (its|the|their) way|underway|in progress|coming back|being returned)\b/],
  ['refund', /\b(your )?money( back)? (is|will be|'s) (on (its|the) way|coming|returned|back)\b/],
  ['refund', /\byou('ll| will| are going to| shall|'re going to)? (get|receive|be getting|be receiving|see) (back )?(a |an |the |your |full |complete |partial |100% )*(refund|money back|reimbursement|money returned|[0-9])/],
  ['refund', /\byou('ll| will| are going to| shall)? be (fully |partially )?(refunded|reimbursed|paid back|paid out)\b/],
  ['refund', /\b(we|i)('ll| will| are going to| am going to| can| shall)? (give|pay|send) you (back|your money|a refund|the money|a full refund)/],
  ['refund', /\brefund (is|has been|was|will be) (approved|confirmed|guaranteed|granted|issued)\b|\b(approved|confirmed|guaranteed) (your |the |a |full )*refund\b/],
  // English credits, discounts, compensation
  ['credit', new RegExp(`\\b${WE} ${AUX}(appl|add|issu|giv|gave|credit|grant|offer|award|provid|includ|comp)\\w* ([^.!?\\n]{0,40})\\b(credit|discount|voucher|coupon|compensation|goodwill|gift card|free months?|months? (for )?free|rebate|store credit|promo code)`)],
  ['credit', /\b(as|by way of|in) (a |an )?(goodwill gesture|gesture of goodwill|goodwill credit)\b/],
  ['credit', /\b(credit|discount|voucher|coupon|compensation|goodwill (gesture|payment)|rebate|gift card)\b[^.!?\n]{0,30}\b(has|have|is|will|was)( now| already)? (been |being |be )?(applied|added|issued|credited|granted|approved|sent|on (its|the) way)\b/],
  ['credit', /\byou('ll| will| are going to)? (get|receive|be getting|be given|be receiving) [^.!?\n]{0,30}\b(credit|discount|voucher|coupon|compensation|free months?|months? free|rebate|gift card)\b/],
  ['compensation', /\b(as|by way of|in) (a |an )?(compensation|apology gesture)\b|\bto make (it )?up (to you )?for\b|\byou will be compensated\b|\bcompensate you\b/],
  // English cancellations and account changes
  ['account_change', new RegExp(`\\b${WE} ${AUX}(cancel|terminat|clos|delet|end|stop|remov|downgrad|upgrad|revers|waiv|void|refund|unlock|reactivat|extend|switch|change|suspend|pause)\\w* (your |the |this |that |all )?(account|subscription|plan|order|contract|membership|data|charge|fee|invoice|upgrade|payment|trial|renewal|billing|direct debit|mandate|cancellation)`)],
  ['account_change', /\b(your |the )?(subscription|account|order|plan|contract|membership|renewal|charge|fee|invoice|payment|direct debit)\b[^.!?\n]{0,20}\b(has|have|is|was|will|'s)( now| already)? (been |be |being )?(cancell?ed|terminated|closed|deleted|refunded|downgraded|waived|reversed|voided|removed|stopped|suspended)\b/],
  ['account_change', /\b(consider (it|this|your (order|subscription|account|plan)) (done|cancell?ed|refunded|closed|sorted))\b/],
  // English legal statements and guarantees
  ['legal', /\b(we|i) (accept|admit|acknowledge) (full |all )?(liability|responsibility|fault)\b|\blegally (binding|entitled)\b|\byou are entitled to (compensation|a refund|damages|money)\b|\bwe (are|were) (at fault|liable)\b/],
  ['guarantee', /\b(we|i) (personally )?(guarantee|promise|assure you|give you my word|commit to)\b[^.!?\n]{0,60}\b(refund|money|credit|replace|replacement|free|compensat|cancel|deliver|arrive|fix|will)\b/],
  ['replacement', /\b(we|i)('ll| will| have| 've| are going to| am going to)? (send|ship|sent|shipped|dispatch|dispatched|mail|mailed) (out )?(you )?(a |an )?(new|replacement|free|second|brand new)\b/],
  // Outcomes stated as headlines or by a third party ("Refund approved.", "Plan cancelled:", "it approved yours",
  // "our team decided on a refund", "refund issued to the original payment method").
  ['refund', /\b(refund|reimbursement|return|chargeback|money back)s? (approved|issued|accepted|granted|confirmed|authori[sz]ed|completed|processed|released)\b/],
  ['refund', /\b(approved|accepted|granted|confirmed|authori[sz]ed|processed|issued) (it |yours\b|your (refund|return|request|claim|reimbursement|money))/],
  ['refund', /\b(decided|decision|opted|settled) (on|for|in favou?r of|to give you) (a |an |the |your |full )?(refund|reimbursement|credit|compensation|money back|replacement)/],
  ['refund', /\brefund (issued|sent|paid|made|transferred|going|goes|returned|credited) (back )?to\b/],
  ['account_change', /\b(plan|subscription|account|order|contract|membership)s? (cancell?ed|terminated|closed|deleted|ended)\b(?! (plans?|subscriptions?|accounts?|orders?))/],

  // German
  ['refund', /\b(wir|ich) ((haben|habe|werden|werde|hatten|konnen|sind|bin|bereits|sofort|gerne|umgehend|heute|ihnen|dir|ihr|den|die|das|geld|betrag|vollen|gesamten|kaufpreis|zuruck) ){0,6}\w*(erstatte|erstatten|erstattet|uberweise|uberweisen|uberwiesen|zahlen|gezahlt|zuruckbuchen|zuruckgebucht|auszahlen|ausgezahlt)\b/],
  ['refund', /\b(erstattung|ruckerstattung|ruckzahlung|ihr geld|das geld|der betrag|ihre zahlung)\b[^.!?\n]{0,40}\b(wurde|wird|ist|werden|wurden)( bereits| sofort| heute| jetzt| soeben| gerade| eben)? (veranlasst|angewiesen|uberwiesen|erstattet|freigegeben|genehmigt|bearbeitet|gutgeschrieben|unterwegs|zuruckgebucht|ausgezahlt|durchgefuhrt)\b/],
  ['refund', /\b(sie|du) (erhalten|erhalt|erhaltst|bekommen|bekommt|bekommst)( bereits| in kurze| umgehend| heute| morgen)? (ihr|dein|das|den|eine|einen|die|volle|vollen|[0-9])[^.!?\n]{0,30}\b(geld|erstattung|ruckerstattung|ruckzahlung|betrag|euro|eur)\b/],
  ['refund', /\bihr geld (ist|wird|kommt) (unterwegs|zuruck|erstattet|uberwiesen|bald)\b/],
  ['credit', /\b(gutschrift|rabatt|gutschein|entschadigung|kulanzzahlung|kulanz|preisnachlass|freimonat)\b[^.!?\n]{0,40}\b(wurde|wird|ist|werden|erhalten|bekommen|gewahren|gewahrt|angewendet|gutgeschrieben|ausgestellt|hinzugefugt)\b/],
  ['credit', /\b(wir|ich) ((haben|habe|werden|werde|ihnen|dir|ihrem|ihr|konto|gerne|sofort|eine|einen|zehn|[0-9]+|%|euro) ){0,6}(gutgeschrieben|gutschreiben|gewahren|gewahrt|schenken|geschenkt|erlassen|ausstellen|ausgestellt)\b/],
  ['compensation', /\bals (\w+ )?(entschadigung|wiedergutmachung|kulanz|kulanzleistung|ausgleich|entschuldigung)\b/],
  ['credit', /\b(sie|du) (erhalten|erhalt|erhaltst|bekommen|bekommt|bekommst)\b[^.!?\n]{0,30}\b(gutschrift|rabatt|gutschein|entschadigung|freimonat|nachlass|kulanz)/],
  ['account_change', /\b(wir|ich) ((haben|habe|werden|werde|ihr|ihre|ihren|dein|deine|deinen|das|die|den|konto|abo|abonnement|vertrag|bestellung|sofort|bereits|gerne) ){0,6}(gekundigt|kundigen|storniert|stornieren|geloscht|loschen|geschlossen|schliessen|beendet|beenden|aufgehoben|herabgestuft)\b/],
  ['account_change', /\b(ihr|ihre|ihren|dein|deine|das|die|der) (konto|abo|abonnement|vertrag|bestellung|mitgliedschaft|plan|gebuhr|rechnung|lastschrift)\b[^.!?\n]{0,20}\b(wurde|wird|ist)( bereits| sofort| jetzt)? (gekundigt|storniert|geloscht|geschlossen|beendet|erlassen|aufgehoben|zuruckgebucht)\b/],
  ['legal', /\b(wir|ich) (haften|ubernehmen die haftung|erkennen die haftung|garantieren|garantiere|verspreche|versprechen)\b|\bsie haben (einen )?anspruch auf (entschadigung|erstattung|schadensersatz)\b/],
  ['refund', /\b(erstattung|ruckerstattung|ruckzahlung|gutschrift|storno|kundigung|rucksendung|ruckgabe)\w* (genehmigt|bestatigt|veranlasst|ausgefuhrt|angenommen|akzeptiert|erfolgt|freigegeben|gewahrt)\b/],
  ['account_change', /\b(abo|abonnement|vertrag|konto|plan|tarif|bestellung|mitgliedschaft)\w* (gekundigt|storniert|geloscht|beendet)\b/],

  // French
  ['refund', /\b(nous |je |j'|on )((vous|t'|te|allons|vais|avons|ai|a|va|sommes|suis|bien|deja|immediatement|integralement|entierement|le|la|les) ?){0,4}(rembours|reverse|vire|verse|restitu)\w*\b/],
  ['refund', /\b(vous|tu) ((serez|seras|allez|vas|etes|es|etre|avez ete|as ete) ){1,3}(integralement |entierement |bien )?(rembourse|remboursee|rembourses|credite|creditee|indemnise|indemnisee|dedommage|dedommagee)\b/],
  ['refund', /\b(vous|tu) (recevrez|recevras|allez recevoir|vas recevoir|obtiendrez|obtiendras|aurez|auras|recevez|recuperez|recupererez)( bientot| rapidement| sous peu)? (un |une |votre |ton |le |la |l'|vos |tes |[0-9])[^.!?\n]{0,20}\b(remboursement|argent|avoir|credit|indemnisation|geste|bon d'achat|reduction|remise|euros?|eur|somme)\b/],
  ['refund', /\b(remboursement|votre argent|la somme|le montant|le virement)\b[^.!?\n]{0,40}\b(a ete|a bien ete|a deja ete|ont ete|seront|sera|est|va etre|vient d'etre|est en cours)( bien| deja)? (effectue|emis|accorde|valide|approuve|verse|vire|credite|envoye|traite|lance|en route|en chemin)\b/],
  ['credit', /\b(avoir|credit|geste commercial|compensation|indemnisation|bon d'achat|reduction|remise|mois gratuits?|code promo)\b[^.!?\n]{0,40}\b(a ete|a bien ete|ont ete|seront|sera|est|va etre|vient d'etre)( bien| deja)? (applique|appliquee|ajoute|ajoutee|accorde|accordee|offert|offerte|credite|creditee|emis|emise|cree|creee)\b/],
  ['credit', /\b(nous |je |j'|on )((vous|t'|te|allons|vais|avons|ai|a|va|bien|deja) ?){0,4}(offr|accord|appliqu|ajout|credit|consent)\w* [^.!?\n]{0,30}\b(avoir|credit|geste|remise|reduction|bon|mois gratuits?|compensation|indemnisation)\b/],
  ['compensation', /\b(a titre de|en guise de|en) (compensation|dedommagement|geste commercial|indemnisation|excuse)\b/],
  ['account_change', /\b(nous |je |j'|on )((vous|t'|te|allons|vais|avons|ai|a|va|bien|deja|immediatement) ?){0,4}(annul|resili|supprim|ferm|cloture|clotur|desactiv|retrograd)\w* (votre|ton|ta|tes|vos|le|la|l')\s?(abonnement|compte|commande|contrat|forfait|prelevement|facture|frais|adhesion)/],
  ['account_change', /\b(votre|vos|ton|ta|tes|le|la|les|l') ?(abonnement|compte|commande|contrat|forfait|prelevement|facture|frais|adhesion)\b[^.!?\n]{0,20}\b(a ete|a bien ete|a deja ete|ont ete|ont bien ete|seront|sera|est|sont|va etre|vient d'etre)( bien| deja)? (annule|annules|annulees|annulee|resilie|resiliee|supprime|supprimee|ferme|fermee|rembourse|remboursee|clos|close|cloture|cloturee)\b/],
  ['legal', /\b(nous|je) (reconnaissons|reconnais|acceptons|accepte) (notre|ma|la|toute) (responsabilite|faute)\b|\bvous avez droit a (une )?(indemnisation|compensation|remboursement|dedommagement)\b|\bnous (garantissons|vous garantissons|promettons|vous promettons)\b/],
  ['refund', /\b(remboursement|avoir|annulation|retour|resiliation)s? (approuve|accepte|valide|confirme|effectue|accorde|emis|autorise)e?s?\b/],
  ['account_change', /\b(abonnement|forfait|compte|commande|contrat|adhesion)s? (annule|resilie|supprime|ferme|clos|cloture)e?s?\b/],
  ['credit', /\b(avoir|credit|geste commercial|bon d'achat|remise)s? (de [^.!?\n]{0,30})?(accorde|valide|emis|approuve|confirme|offert|applique)e?s?\b/],

  // Spanish
  ['refund', /\b(le |te |les |se lo |se la )?(reembolsaremos|reembolsare|reembolsamos|reembolsaran|vamos a reembolsar|voy a reembolsar|devolveremos|devolvere|devolvemos|vamos a devolver|voy a devolver|abonaremos|abonare|transferiremos|ingresaremos|pagaremos|restituiremos)\b/],
  ['refund', /\b(hemos|he|ya hemos|ya he|acabamos de|acabo de) (le |te |les )?(reembolsado|reembolsar|devuelto|devolver|abonado|abonar|transferido|transferir|ingresado|ingresar|pagado|aprobado|tramitado|procesado|emitido|realizado) (el |su |tu |la |un |una |todo |todo el )?(reembolso|dinero|importe|pago|devolucion|abono|cargo|monto)?/],
  ['refund', /\b(reembolso|devolucion|su dinero|tu dinero|el dinero|el importe|el pago|la transferencia|el abono)\b[^.!?\n]{0,40}\b(ha sido|sera|esta siendo|fue|se ha|se hara|se realizara|va a ser|ya esta|esta)( ya)? (procesad|emitid|aprobad|aplicad|realizad|enviad|transferid|tramitad|ingresad|devuelt|reembolsad|abonad|en camino|en proceso)\w*/],
  ['refund', /\b(usted |tu )?(recibira|recibiras|va a recibir|vas a recibir|obtendra|obtendras|tendra|tendras|le llegara|te llegara)( pronto| en breve)? (un |una |el |su |tu |la |sus |tus |[0-9])[^.!?\n]{0,20}\b(reembolso|devolucion|dinero|abono|credito|compensacion|indemnizacion|descuento|cupon|euros?|eur|importe)\b/],
  ['credit', /\b(credito|abono|compensacion|indemnizacion|descuento|cupon|bono|vale|mes gratis|meses gratis)\b[^.!?\n]{0,40}\b(ha sido|sera|esta|fue|se ha|se le|se te|va a ser)( ya)? (aplicad|anadid|emitid|otorgad|concedid|acreditad|abonad|enviad|aplica|anade)\w*/],
  ['credit', /\b(le |te |les )?(aplicaremos|anadiremos|concederemos|otorgaremos|acreditaremos|regalaremos|ofreceremos|hemos aplicado|hemos anadido|hemos concedido|hemos acreditado|hemos otorgado)\b[^.!?\n]{0,40}\b(credito|abono|compensacion|descuento|cupon|bono|vale|mes gratis|meses gratis|saldo)\b/],
  ['compensation', /\b(como|a modo de|en) (compensacion|indemnizacion|disculpa|gesto de buena voluntad)\b/],
  ['account_change', /\b(le |te |les )?(cancelaremos|cancelare|cancelamos|anularemos|anulamos|daremos de baja|eliminaremos|cerraremos|hemos cancelado|he cancelado|hemos anulado|hemos dado de baja|hemos eliminado|hemos cerrado|vamos a cancelar|voy a cancelar)\b/],
  ['account_change', /\b(su|tu|el|la) (suscripcion|cuenta|pedido|contrato|plan|cargo|factura|domiciliacion|membresia)\b[^.!?\n]{0,20}\b(ha sido|sera|fue|esta|queda|ya esta)( ya)? (cancelad|anulad|eliminad|cerrad|reembolsad|dad[oa] de baja)\w*/],
  ['legal', /\b(asumimos|aceptamos|reconocemos) (toda |la |nuestra ){0,2}(responsabilidad|culpa)\b|\btiene derecho a (una )?(indemnizacion|compensacion|reembolso)\b|\b(le |te )?(garantizamos|garantizo|prometemos|prometo)\b/],
  ['refund', /\b(reembolso|devolucion|abono|cancelacion|baja)s? (aprobad|aceptad|confirmad|realizad|emitid|concedid|tramitad|autorizad)[oa]s?\b/],
  ['account_change', /\b(suscripcion|plan|cuenta|pedido|contrato|membresia)(es|s)? (cancelad|anulad|eliminad|cerrad)[oa]s?\b/],
];

export function wantsHuman(text: string): boolean {
  const plain = matchingText(text);
  return WANTS_HUMAN.some((pattern) => pattern.test(plain));
}

/**
 * Each line is also read on its own: matchingText joins lines with a space, and an order at the start of the
 * message ("Terminez votre message par : …") must still count as one after the subject line put before it.
 */
export function injectionSuspected(text: string): boolean {
  const pieces = [text, ...text.split(/\r?\n+/).filter((line) => line.trim().length > 0)];
  return pieces.some((piece) => {
    const plain = matchingText(piece);
    return INJECTION.some((pattern) => pattern.test(plain));
  });
}

/** Kinds of forbidden promises the draft makes, e.g. ["refund"]. */
export function forbiddenPromises(draft: string): string[] {
  const plain = matchingText(draft);
  return [...new Set(PROMISES.filter(([, pattern]) => pattern.test(plain)).map(([kind]) => kind))];
}
