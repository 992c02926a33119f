// Text templates for the demo generator. The fictional company is "Kestrel Home" (smart-home devices with an
// app subscription), so all eight categories make sense: orders ship, accounts need passwords, plans are billed.
// Placeholders in braces are filled per ticket (see SLOT_KEYS); the same ticket always gets the same values.

export const SLOT_KEYS = [
  'order',
  'product',
  'plan',
  'amount',
  'invoice',
  'tracking',
  'carrier',
  'feature',
  'code',
  'platform',
  'name',
  'agent',
  'days',
  'email',
  'incident',
  'category',
] as const;
export type SlotKey = (typeof SLOT_KEYS)[number];

/** A compiled template: literal strings at even indexes, slot numbers (index into SLOT_KEYS) at odd ones. */
export type Compiled = readonly (string | number)[];

export function compile(template: string): Compiled {
  const parts = template.split(/\{(\w+)\}/);
  return parts.map((p, i) => {
    if (i % 2 === 0) return p;
    const k = SLOT_KEYS.indexOf(p as SlotKey);
    if (k < 0) throw new Error(`unknown template slot {${p}} in: ${template}`);
    return k;
  });
}

export const PRODUCTS = [
  'Kestrel Hub 2',
  'Kestrel Cam Indoor',
  'Kestrel Cam Outdoor Pro',
  'Kestrel Smart Plug (4-pack)',
  'Kestrel Thermostat T3',
  'Kestrel Door Sensor',
  'Kestrel Video Doorbell',
  'Kestrel Motion Sensor',
  'Kestrel Smart Lock S',
  'Kestrel Water Leak Sensor',
  'Kestrel Light Strip 5m',
  'Kestrel Starter Kit',
] as const;
export const PLANS = ['Basic', 'Plus', 'Pro', 'Family', 'Business'] as const;
export const AMOUNTS = ['4.99', '9.99', '14.99', '19.99', '49.00', '59.90', '89.00', '129.00', '149.00', '219.00'] as const;
export const CARRIERS = ['DHL', 'DPD', 'Hermes', 'UPS', 'GLS'] as const;
export const FEATURES = [
  'automations',
  'two-factor authentication',
  'shared access for family members',
  'geofencing',
  'scene schedules',
  'cloud recording',
  'energy reports',
  'push notifications',
  'vacation mode',
  'voice assistant linking',
  'activity zones',
  'guest codes for the smart lock',
] as const;
export const ERROR_CODES = ['E-1042', 'E-2210', 'SYNC_TIMEOUT', 'AUTH_401', 'E-3307', 'FW_VERIFY_FAILED', 'E-0917', 'NET_UNREACHABLE'] as const;
export const PLATFORMS = ['iOS app', 'Android app', 'web dashboard', 'iPad app', 'Windows desktop app'] as const;
export const FIRST_NAMES = [
  'Anna', 'Ben', 'Clara', 'David', 'Elif', 'Felix', 'Greta', 'Hannes', 'Ines', 'Jonas', 'Katrin', 'Lukas', 'Mara',
  'Niklas', 'Olga', 'Paul', 'Rosa', 'Stefan', 'Tanja', 'Umut', 'Vera', 'Wim', 'Yara', 'Zoe', 'Marco', 'Sofia',
  'Tomasz', 'Priya', 'Liam', 'Emma', 'Noah', 'Mia', 'Ole', 'Lea', 'Jan', 'Nora', 'Erik', 'Lina', 'Omar', 'Julia',
] as const;
export const AGENT_NAMES = [
  'Sabine', 'Jonas', 'Miriam', 'Tobias', 'Aylin', 'Florian', 'Kerstin', 'Daniel', 'Leonie', 'Matthias', 'Nadine',
  'Patrick', 'Renate', 'Sebastian', 'Theresa', 'Uwe', 'Vanessa', 'Wolfgang', 'Yvonne', 'Carsten', 'Dilara',
  'Henrik', 'Isabel', 'Kai', 'Lena',
] as const;

type Table = Record<string, readonly string[]>;

/**
 * One customer concern: its subject lines, the customer's first message, and (optionally) answers that fit it.
 * Categories fall back to HUMAN_ANSWER / AI_ANSWER when a topic has none of its own.
 */
export interface Topic {
  subjects: readonly string[];
  body: readonly string[];
  human?: readonly string[];
  ai?: readonly string[];
}

export const TOPICS: Record<string, readonly Topic[]> = {
  password_reset: [
    {
      subjects: ['Password reset email never arrives', "Can't log in to my account", 'No reset email'],
      body: [
        "I can't log in anymore. I clicked \"forgot password\" twice but the email never showed up, not even in spam. My account email is {email}.",
        'I requested a password reset three times today and got nothing. Is there a problem with your emails?',
      ],
      human: ["I've reset the login for {email} manually and sent you a fresh link. Please use it within the next hour."],
      ai: [
        "I've sent a new password reset link to {email}. It is valid for 60 minutes – please open it on the same device. If it doesn't arrive within 5 minutes, check the spam folder for mail from no-reply@kestrel.example.",
      ],
    },
    {
      subjects: ['Reset link says it has expired', 'Password reset link not working'],
      body: ['The reset link I got says it has expired, although I clicked it right away. Can you help me get back into my account?'],
      human: ['Our reset links were invalidated by a mail scanner that opens links in advance. I have sent you a one-time code instead.'],
      ai: ['Some mail providers open links to scan them, which uses up the reset link. I have sent you a 6-digit code to {email} instead – enter it on the login page under "Use a code".'],
    },
    {
      subjects: ['Locked out after too many attempts', 'Account locked', 'Login not working on the {platform}'],
      body: ["After a few wrong tries the {platform} says my account is locked. I need to get in today because the {product} isn't arming."],
      human: ['Your account was locked by our fraud protection after several attempts from an unknown location. I have verified and unlocked it.'],
      ai: ['Your account was temporarily locked after several failed attempts. I have unlocked it now; you can log in again or use "Forgot password" in the {platform}.'],
    },
    {
      subjects: ['Two-factor code not accepted', 'New phone – cannot log in (2FA)'],
      body: ['I changed my phone and now the two-factor code is never accepted. How do I get back in?'],
      human: ['I removed the old phone from two-factor authentication. You can now log in with your password and set up the new phone.'],
      ai: ['To reset two-factor authentication, open the link I just emailed to {email} and confirm with one of your backup codes. After that you can register your new phone.'],
    },
    {
      subjects: ['Forgot my password', 'How do I change my password?'],
      body: ['I forgot my password and the reset page just spins forever. Using the {platform}.', 'How do I change my password? I think someone else knows it.'],
    },
  ],
  shipping_status: [
    {
      subjects: ['Where is my order {order}?', 'Order {order} not delivered yet', 'Package stuck in transit'],
      body: [
        "I ordered the {product} a week ago (order {order}) and it still hasn't arrived. The tracking number {tracking} shows no updates.",
        'My package has been "in transit" for six days now. Order {order}, {product}.',
      ],
    },
    {
      subjects: ['{carrier} says delivered but nothing arrived', 'Package marked as delivered – not here'],
      body: ["{carrier} says my package was delivered yesterday but there is nothing here and the neighbours don't have it either. Order {order}."],
      human: ['Order {order} was lost in transit, so I have sent a replacement {product} by express. New tracking: {tracking}.', 'I contacted {carrier}: the package was left at your local pickup point. You should have a notification card in your mailbox.'],
      ai: ["{carrier} reports order {order} as delivered to a pickup point near you. Please check your mailbox for a notification card. If it's not there within 48 hours, reply here and a colleague will open a claim."],
    },
    {
      subjects: ['When will order {order} ship?', 'Shipping time for {product}'],
      body: ['Could you tell me when order {order} will ship? The confirmation said 2–3 days.'],
      ai: ['Order {order} is packed and will be handed to {carrier} today. The tracking number {tracking} becomes active this evening.'],
    },
    {
      subjects: ['Tracking number not working', 'Tracking for {order} shows nothing'],
      body: ['The tracking link for {order} gives "shipment not found". Is there a problem?'],
      human: ['The tracking for {order} was not updated by {carrier}, but the package is on its way and should arrive within {days} working days.'],
    },
  ],
  how_to: [
    {
      subjects: ['How do I set up {feature}?', 'Question about {feature}', 'Help with {feature} settings', 'Where do I find {feature} in the {platform}?'],
      body: [
        "How do I set up {feature}? I looked in the {platform} but can't find the option.",
        'Where can I change the settings for {feature}? The help article shows a menu I do not have.',
      ],
      human: ['You can find {feature} under Settings in the {platform}. I have attached a short guide with screenshots.', 'I have enabled {feature} for your home on our side – please restart the app and it should appear.'],
      ai: ['You can set up {feature} in the {platform} under Settings → Home → {feature}. Tap "Add", choose your devices and save. A step-by-step guide is in our help centre under "{feature}".'],
    },
    {
      subjects: ['Adding a second user to my home', 'Share access with my partner'],
      body: ["I'd like to give my partner access to our home without sharing my login. Is that possible?"],
      human: ['Yes – under Settings → Members → Invite you can add your partner with their own login. I have attached a short guide.'],
      ai: ["To share your home, go to Settings → Members → Invite and enter the other person's email. They get their own login and you can limit what they control."],
    },
    {
      subjects: ['How to connect {product} to the hub', 'Pairing {product} fails'],
      body: ['I just got the {product}. How do I connect it to the hub? The pairing light keeps blinking blue.'],
      ai: ['Put the {product} into pairing mode (hold the button 5 seconds until it blinks blue), then in the app tap + → Add device. Keep it within 3 metres of the hub during pairing.'],
    },
    {
      subjects: ['Moving my devices to a new Wi-Fi network', 'New router – do I have to re-add everything?'],
      body: ['We got a new router. What is the easiest way to move all devices to the new Wi-Fi without re-adding them one by one?'],
      ai: ['After changing your router, run Settings → Hub → Network → Change Wi-Fi on the hub only; all devices paired to the hub will follow automatically.'],
    },
    {
      subjects: ['Can the {product} work without the hub?', 'Do I need a hub for {product}?'],
      body: ['Does the {product} work without the hub, or do I need to buy one?'],
      human: ['The {product} needs the hub for remote access. Without it you can still control it locally via Bluetooth.'],
    },
  ],
  billing_question: [
    {
      subjects: ['Charged twice this month?', 'Question about invoice {invoice}', 'Double charge'],
      body: ['I was charged EUR {amount} twice this month for my {plan} plan. Can you check invoice {invoice}?'],
      human: ['You are right, you were charged twice for invoice {invoice}. I have refunded EUR {amount}; it will show on your statement in 3–5 days.'],
      ai: ['I checked invoice {invoice}: the second charge of EUR {amount} is a pre-authorisation and will disappear from your statement within 5–7 days.'],
    },
    {
      subjects: ['Why did my {plan} plan price change?', 'Price increase?'],
      body: ['My {plan} plan suddenly costs more. I did not get any notice about a price change.'],
      human: ['The price change for the {plan} plan was announced by email in March; I have applied a one-month discount as a goodwill gesture.'],
    },
    {
      subjects: ['Need a VAT invoice for order {order}', 'Invoice address is wrong'],
      body: ['I need an invoice with VAT and my company address for order {order}.'],
      human: ['I have corrected the invoice address and attached the new invoice {invoice} with VAT.'],
    },
    {
      subjects: ['Update my payment method', 'New credit card'],
      body: ['How can I change the credit card used for my subscription? The old one expires this month.'],
      human: ['I have sent you a secure link to update your card; the new card will be used from the next billing date.'],
      ai: ['You can change your payment method under Account → Billing → Payment method. The new card will be used from the next billing date.'],
    },
    {
      subjects: ['Unexpected charge of EUR {amount}', 'What is this charge?'],
      body: ['There is a charge of EUR {amount} on my statement that I do not recognise. What is it for?'],
      human: ['The EUR {amount} charge is the annual renewal of your {plan} plan (invoice {invoice}). I have attached the invoice.'],
    },
    {
      subjects: ['Billing date for my {plan} subscription', 'When am I billed?'],
      body: ['When exactly is my {plan} subscription billed? I want to plan the cancellation of my old one.'],
      ai: ['Your {plan} plan renews on the same day each month. You can see the next billing date under Account → Billing.'],
    },
  ],
  refund: [
    {
      subjects: ['Return my {product}', 'Refund for order {order}', 'Return label for order {order}'],
      body: [
        "I'd like to return the {product} from order {order}. It doesn't fit our door frame. How do I get a refund?",
        'Please send me a return label for order {order}, the device is defective.',
      ],
      human: ['I have approved the return for order {order}. The return label is attached; the refund of EUR {amount} is issued once the package arrives at our warehouse.'],
    },
    {
      subjects: ['Damaged {product} – requesting refund', 'I want my money back for the {product}'],
      body: ['The {product} arrived with a cracked housing. I want a refund, not a replacement.'],
      human: ['Sorry about the damaged {product}. I have issued a full refund of EUR {amount}; you do not need to send the device back.'],
    },
    {
      subjects: ['Refund not received yet', 'Where is my refund for {order}?'],
      body: ['I returned order {order} two weeks ago and still have not received the EUR {amount}.'],
      human: ['Your refund for order {order} was delayed by our payment provider. It has now been processed.'],
    },
    {
      subjects: ['Refund for accidental {plan} upgrade', 'Upgraded by mistake'],
      body: ['I upgraded to {plan} by accident yesterday. Please refund the EUR {amount}.'],
      human: ['I have reversed the upgrade to {plan} and refunded EUR {amount}.'],
    },
  ],
  cancellation: [
    {
      subjects: ['Cancel my {plan} subscription', 'Stop automatic renewal'],
      body: ['Please cancel my {plan} subscription effective at the end of the current period.', 'How do I stop the automatic renewal? I only needed {plan} for one month.'],
      human: ['Your {plan} subscription is cancelled effective at the end of the current billing period. You will keep access until then.', 'Automatic renewal is now off. You will not be charged again.'],
    },
    {
      subjects: ['Please close my account', 'Delete my account and data'],
      body: ['I want to close my Kestrel account and delete all my data.'],
      human: ['I have closed your account and scheduled deletion of all data within 30 days, as required by GDPR. A confirmation email is on its way.'],
    },
    {
      subjects: ['Cancellation confirmation missing', 'Did my cancellation go through?'],
      body: ["I cancelled last week but never received a confirmation, and I'm worried I'll be billed again."],
      human: ['Your cancellation went through on our side; I have re-sent the confirmation to {email}. You will not be billed again.'],
    },
    {
      subjects: ['Downgrade from {plan} plan', 'Switch to Basic'],
      body: ['I would like to downgrade from {plan} to Basic. Will I lose my recordings?'],
      human: ['I have downgraded your plan to Basic. Recordings older than 24 hours will be kept for 30 days so you can download them.'],
    },
  ],
  bug_report: [
    {
      subjects: ['{product} goes offline every night', '{product} keeps disconnecting'],
      body: ['Since the last update my {product} goes offline every night around 2am and only comes back after a restart. Error {code} in the log.'],
      human: ['Thanks for the detailed report. Our engineers released firmware 4.12.3 which fixes the nightly disconnects of the {product}. Please update via the {platform}.'],
    },
    {
      subjects: ['App crashes when opening {feature}', '{feature} stopped working after the update'],
      body: ['The {platform} crashes every time I open {feature}. I already reinstalled it.'],
      human: ['The crash in {feature} is fixed in the latest {platform} version (released today). Please update and let us know if it happens again.'],
    },
    {
      subjects: ['Error {code} in the {platform}', 'Cannot save automation – {code}'],
      body: ['I get error {code} when I try to save an automation. Steps: open automations, add trigger, save → error.'],
      human: ['Error {code} was caused by a configuration problem on our side for your hub. We have corrected it.'],
    },
    {
      subjects: ['Firmware update fails on {product}', 'Update stuck at 80%'],
      body: ['Firmware update on the {product} fails at 80% with {code}. Tried three times.'],
      human: ['We have pushed the firmware to your {product} from our side; it installed successfully.'],
    },
    {
      subjects: ['Notifications arrive hours late', 'Motion alerts delayed'],
      body: ['Push notifications for motion arrive 20–40 minutes late, which makes them useless.'],
      human: ['We found the cause of the late notifications (a queue backlog in our push service) and fixed it.'],
    },
    {
      subjects: ['Camera live view stays black', 'No live picture from {product}'],
      body: ['The camera live view stays black on the {platform}, recordings are fine.'],
      human: ['The black live view was caused by a codec issue in the {platform}; version 6.3.1 fixes it.'],
    },
  ],
  outage: [
    {
      subjects: ['Nothing works – all devices offline', 'All my cameras are offline', 'Is Kestrel down?'],
      body: [
        'All my devices show offline in the {platform} since about an hour. Internet is fine here. Is something down?',
        'All cameras offline, status page shows nothing. What is going on?',
      ],
    },
    {
      subjects: ['App shows "{code}" for everyone?', 'Cannot reach the cloud service'],
      body: ['The app shows {code} and nothing loads. My neighbour has the same problem.'],
    },
    {
      subjects: ['Service outage? Automations not running', 'URGENT: smart lock not responding'],
      body: [
        'Automations did not run this morning and I cannot control anything. Is there an outage?',
        'My smart lock is not responding from the app. I am locked out of remote control – this is urgent!',
      ],
    },
  ],
};

export const CUSTOMER_GREETINGS = ['Hi,', 'Hello,', 'Hello Kestrel team,', 'Good morning,', 'Hi there,', 'Dear support,', ''] as const;
export const CUSTOMER_SIGNOFFS = ['Thanks, {name}', 'Best regards\n{name}', 'Cheers,\n{name}', '{name}', 'Thank you!', 'Regards, {name}'] as const;


export const CUSTOMER_PHONE_PREFIX = '(Phone call transcript) ';

export const CUSTOMER_INFO_REPLY: readonly string[] = [
  'Sure, the order number is {order} and the email on the account is {email}.',
  'Here you go: {email}. I am using the {platform}.',
  'I tried that, here is a screenshot. Still the same error {code}.',
  'It is the {product}, bought in March. Serial number is on the box, I can send a photo.',
  'I restarted the hub as you suggested. It worked for a while but now it is the same again.',
  'Yes, that is the right address. Thanks for checking.',
];

export const CUSTOMER_FOLLOWUP: readonly string[] = [
  'Thanks. One more question: does this also apply to the {product}?',
  'OK, but how long will that take?',
  "I did what you said but I'm not sure it worked. Can you check on your side?",
  'Thank you, and will I get an email confirmation?',
];

export const CUSTOMER_ASK_HUMAN: readonly string[] = [
  'This is not helping. Can I please talk to a real person?',
  'I would prefer to speak to a human agent, please.',
  'Please connect me with someone from your team.',
  'That is not what I asked. Agent please.',
  'Can a person look at this? The automatic answers are going in circles.',
];

export const CUSTOMER_REOPEN: readonly string[] = [
  "Sorry, I have to reopen this – it still doesn't work.",
  'The problem is back since this morning.',
  'I followed your steps but it still does not work... please help.',
  'That did not solve it. Same issue with the {product}.',
  'I never received what was promised in your last message.',
  'Actually I have another problem related to order {order}.',
];

export const AI_ANSWER: Table = {
  password_reset: [
    "I've sent a new password reset link to {email}. It is valid for 60 minutes – please open it on the same device. If it doesn't arrive within 5 minutes, check the spam folder for mail from no-reply@kestrel.example.",
    'Your account was temporarily locked after several failed attempts. I have unlocked it now; you can log in again or use "Forgot password" in the {platform}.',
    'To reset two-factor authentication, open the link I just emailed to {email} and confirm with one of your backup codes. After that you can register your new phone.',
  ],
  shipping_status: [
    'Your order {order} left our warehouse and is with {carrier} (tracking {tracking}). The current estimate is delivery within {days} working days.',
    'I checked order {order}: {carrier} reports a delay at the regional depot. It should be delivered within {days} working days. You will get an update by email.',
    'Order {order} is packed and will be handed to {carrier} today. The tracking number {tracking} becomes active this evening.',
  ],
  how_to: [
    'You can set up {feature} in the {platform} under Settings → Home → {feature}. Tap "Add", choose your devices and save. Here is the step-by-step guide: https://help.kestrel.example/{code}',
    'To share your home, go to Settings → Members → Invite and enter the other person\'s email. They get their own login and you can limit what they control.',
    'Put the {product} into pairing mode (hold the button 5 seconds until it blinks blue), then in the app tap + → Add device. Keep it within 3 metres of the hub during pairing.',
    'After changing your router, run Settings → Hub → Network → Change Wi-Fi on the hub only; all devices paired to the hub will follow automatically.',
  ],
  billing_question: [
    'I checked invoice {invoice}: the second charge of EUR {amount} is a pre-authorisation and will disappear from your statement within 5–7 days.',
    'You can change your payment method under Account → Billing → Payment method. The new card will be used from the next billing date.',
    'Your {plan} plan renews on the same day each month. You can see the next billing date under Account → Billing.',
  ],
};

export const AI_ASK_INFO: Table = {
  password_reset: [
    'I can help with that. Could you confirm the email address of your Kestrel account so I can send a new reset link?',
    'To unlock the account I need to verify it first. Please reply with the email address and the name of your home as shown in the app.',
  ],
  shipping_status: [
    'Happy to check. Could you send me your order number? It starts with "K-" and is in your order confirmation email.',
    'Could you confirm the delivery address for the order, so I can compare it with what {carrier} has on file?',
  ],
  how_to: [
    'Which app are you using – iOS, Android or the web dashboard? The steps are slightly different.',
    'Could you tell me which model you have? You find it on the label on the back of the device.',
  ],
  billing_question: [
    'Could you send me the invoice number (it starts with "INV-") so I can look at the charge?',
    'To look into this I need the last four digits of the card that was charged. Please do not send the full card number.',
  ],
};

export const AI_FOLLOWUP_ANSWER: readonly string[] = [
  'Thanks! With that information I could fix it: everything is set up now. Let me know if anything else comes up.',
  "Thank you. I've taken care of it and you should receive a confirmation email in a few minutes.",
  'Thanks for the details – I found the problem and corrected it on our side.',
];

export const AI_HANDOFF: readonly string[] = [
  "I'm handing this over to a colleague from our support team who can help you further. You'll get a reply by email.",
  'I have passed your request to our team together with a summary, so you do not need to repeat anything. A colleague will get back to you.',
  'This needs a human colleague – I have forwarded your request. Our office hours are Mon–Fri 08:00–18:00.',
];

export const AI_HANDOFF_NOTE: Table = {
  customer_request: ['Handoff: customer explicitly asked for a human agent. Summary: {category} about {product}, order {order}. Tried: standard answer.'],
  missing_knowledge: ['Handoff: no knowledge-base article matched this {category} question (topic: {feature}). Confidence too low to answer.'],
  unsupported_request: ['Handoff: request is outside what the assistant may do (account change / manual action needed). Context: order {order}.'],
  policy_restriction: ['Handoff: policy requires a human (identity verification / goodwill decision, amount EUR {amount}). No action taken.'],
  tool_failure: ['Handoff: tool call failed ({code}) while looking up order {order}. Could not complete the lookup.'],
  low_confidence: ['Handoff: answer confidence below threshold for this {category} request. Drafted reply not sent.'],
};

export const AGENT_SIGNOFFS = ['\n\nBest regards,\n{agent}\nKestrel Support', '\n\nKind regards,\n{agent} – Kestrel Support', '\n\nCheers,\n{agent}'] as const;

export const HUMAN_ANSWER: Table = {
  password_reset: [
    "I've reset the login for {email} manually and sent you a fresh link. Please use it within the next hour.",
    'I removed the old phone from two-factor authentication. You can now log in with your password and set up the new phone.',
    'Your account was locked by our fraud protection after several attempts from an unknown location. I have verified and unlocked it.',
  ],
  shipping_status: [
    'I contacted {carrier} about order {order}. The package was mis-sorted and is now on its way; expected delivery within {days} working days.',
    'Order {order} was lost in transit, so I have sent a replacement {product} by express. New tracking: {tracking}.',
    'The tracking for {order} was not updated by {carrier}, but the package is at your local pickup point.',
  ],
  how_to: [
    'You can find {feature} under Settings in the {platform}. I have attached a short guide with screenshots.',
    'The {product} needs the hub for remote access. Without it you can still control it locally via Bluetooth.',
    'I have enabled {feature} for your home on our side – please restart the app and it should appear.',
  ],
  billing_question: [
    'You are right, you were charged twice for invoice {invoice}. I have refunded EUR {amount}; it will show on your statement in 3–5 days.',
    'The price change for the {plan} plan was announced by email in March; I have applied a one-month discount as a goodwill gesture.',
    'I have corrected the invoice address and attached the new invoice {invoice} with VAT.',
  ],
  refund: [
    'I have approved the return for order {order}. The return label is attached; the refund of EUR {amount} is issued once the package arrives at our warehouse.',
    'Sorry about the damaged {product}. I have issued a full refund of EUR {amount}; you do not need to send the device back.',
    'Your refund for order {order} was delayed by our payment provider. It has now been processed.',
    'I have reversed the upgrade to {plan} and refunded EUR {amount}.',
  ],
  cancellation: [
    'Your {plan} subscription is cancelled effective at the end of the current billing period. You will keep access until then.',
    'I have closed your account and scheduled deletion of all data within 30 days, as required by GDPR. A confirmation email is on its way.',
    'Automatic renewal is now off. You will not be charged again.',
    'I have downgraded your plan to Basic. Recordings older than 24 hours will be kept for 30 days so you can download them.',
  ],
  bug_report: [
    'Thanks for the detailed report. Our engineers released firmware 4.12.3 which fixes the nightly disconnects of the {product}. Please update via the {platform}.',
    'The crash in {feature} is fixed in the latest {platform} version (released today). Please update and let us know if it happens again.',
    'Error {code} was caused by a configuration problem on our side for your hub. We have corrected it.',
    'We found the cause of the late notifications (a queue backlog in our push service) and fixed it.',
  ],
  outage: [
    'There was a disruption of our cloud service affecting device control. It is resolved now; your devices should reconnect automatically within a few minutes.',
    'The issue was on our side and has been fixed. If a device still shows offline, please power-cycle the hub.',
  ],
};

export const HUMAN_ASK_INFO: readonly string[] = [
  'Could you send me a screenshot of the error message and tell me which version of the {platform} you are using?',
  'To look into this I need the order number and the email address used for the purchase.',
  'Could you please restart the hub (unplug for 10 seconds) and let me know whether the problem persists?',
  'Can you confirm the serial number of the {product}? It is on the label on the back.',
  'Please tell me roughly when this happened so I can check our logs.',
];

export const HUMAN_HOLD: Table = {
  refund: ['I have forwarded your case to our finance team for approval. This usually takes 2–3 working days – I will update you.'],
  billing_question: ['I have asked our billing team to check this with the payment provider. I will get back to you as soon as I hear from them.'],
  cancellation: ['Your request needs a confirmation from our accounts team; I will let you know once it is processed.'],
  bug_report: [
    'I have reproduced the issue and opened an engineering ticket (KST-{invoice}). I will update you as soon as a fix is available.',
    'Our engineers are investigating error {code}. I will keep this ticket on hold and get back to you.',
  ],
  outage: ['We are aware of an incident ({incident}) affecting device connectivity. Engineers are working on it; I will update you once it is resolved.'],
  default: ['I am waiting for feedback from another team and will get back to you.'],
};

export const HUMAN_TAKEOVER: readonly string[] = [
  'Hi, this is {agent} from Kestrel Support – I have taken over your request from our assistant and I am looking into it now.',
  'Thanks for your patience. I have read the conversation with our assistant and will take it from here.',
];

export const HUMAN_REOPEN_REPLY: readonly string[] = [
  'Sorry to hear it is still not working. I have checked again and found another setting that was wrong – it should be fine now.',
  'Thanks for letting us know. I have escalated internally and applied a fix to your account.',
  'I am sorry for the trouble. I have taken care of it now.',
];

export const HUMAN_NOTE: Table = {
  password_reset: ['Identity verified via last order {order}.', 'Account had 7 failed logins from a new IP – unlocked after verification.'],
  shipping_status: ['Opened claim with {carrier}, ref {tracking}.', 'Checked warehouse system: shipped on time, carrier delay.'],
  how_to: ['KB article for {feature} is outdated – flagged to docs team.', 'Customer on old app version, asked to update.'],
  billing_question: ['Payment provider shows duplicate capture for {invoice}.', 'Goodwill discount approved by team lead.'],
  refund: ['Refund EUR {amount} within agent limit – approved.', 'Return received in warehouse, condition OK.', 'Above EUR 100 – needs team lead sign-off.'],
  cancellation: ['Retention offer declined.', 'Offered 3 months Plus at 50% – customer not interested.', 'GDPR deletion requested – follow the checklist.'],
  bug_report: ['Reproduced on firmware 4.12.1, linked to KST-{invoice}.', 'Logs attached, hub id ends with {tracking}.', 'Known issue, see KST-{invoice}.'],
  outage: ['Linked to incident {incident}.', 'Part of incident {incident}, mass reply sent.'],
};

export const OUTAGE_ACK: readonly string[] = [
  'We are currently experiencing a service disruption ({incident}) and our engineers are working on it. We will update you as soon as it is resolved.',
  'Thanks for reporting. This is a known incident ({incident}); device control via the cloud is affected. Local automations keep working.',
];

export const CSAT_COMMENTS: Record<number, readonly string[]> = {
  1: ['Took far too long and nobody really helped.', 'Still not solved.', 'Useless answers.', 'I had to explain everything three times.'],
  2: ['Slow and not very helpful.', 'The answer did not fit my question.', 'Okay in the end, but it took forever.'],
  3: ['It was fine.', 'Solved, but took a while.', 'Average.', 'OK.'],
  4: ['Quick and helpful, thanks.', 'Good support.', 'Solved my problem.', 'Friendly and competent.'],
  5: ['Excellent, super fast!', 'Perfect, thank you so much!', 'Great service.', 'Problem solved within minutes – impressive.', 'Very friendly, thanks!'],
};

export const HUMAN_INTERIM: readonly string[] = [
  'Thanks for the details. I have looked into it and made a change on our side – could you check whether it works now?',
  'I have checked your account and everything looks fine here. Could you try again and let me know?',
  'Good news: I found the likely cause. I have applied a fix; please give it an hour and then try again.',
  'I have passed the information on to the responsible team and will follow up as soon as I hear back.',
];

export const AI_REOPEN: readonly string[] = [
  "Sorry that this didn't work! I've checked again and re-sent the information to {email}. Please let me know if it still doesn't work.",
  'Thanks for letting me know. I found a second setting that needed a change and corrected it – it should work now.',
  "I'm sorry for the trouble. I've retried the action on our side and it has gone through this time.",
];
