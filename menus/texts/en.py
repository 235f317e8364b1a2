"""English texts. Keep them GSM-7 (no smart quotes or dashes) so a screen holds 182."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # Shared pieces
    "language_name": "English",
    "choose_language": "Choose language",
    "retry": "Invalid choice.",
    "no_more": "No more pages.",
    "saved": "Saved.",
    "ellipsis": "...",
    "list_sep": ", ",
    "mark": "*",
    "back": "0 Back",
    "more_back": "9 More 0 Back",
    "sex_m": "Male",
    "sex_f": "Female",
    "yes": "Yes",
    "no": "No",
    "not_given": "not given",
    "none": "none",
    # USSD screens
    "welcome": "Welcome to Jobline, Lincang's job line.\n1 Register\n2 Language",
    "menu": (
        "Jobline\n1 Jobs\n2 My applications\n3 Training\n4 Report a problem\n"
        "5 My profile\n6 Language"
    ),
    "topic_jobs": "Jobs",
    "topic_applications": "My applications",
    "topic_training": "Training",
    "topic_report": "Report a problem",
    "soon": "{topic}: coming soon.\n0 Back",
    "resume": "Your last session was cut off.\n1 Continue where you were\n2 Start over",
    # Gateway end screens
    "ussd_apology": "Sorry, something went wrong. Please dial again later.",
    "ussd_too_long": "Too much input. Please dial again.",
    "ussd_out_of_step": "Your session expired. Please dial again.",
    "ask_name": "Please type your name.\n0 Back",
    "ask_sex": "Your sex\n1 Male\n2 Female\n0 Back",
    "ask_birth_year": "Year of birth? (e.g. 1990)\n0 Back",
    "pick_county": "Choose your county",
    "pick_township": "Choose your township",
    "pick_skills": "Your skills (pick several)",
    "skills_footer": "8 Done 0 Back",
    "skills_footer_more": "8 Done 9 More 0 Back",
    "ask_outside": "Willing to work outside Yunnan province?\n1 Yes\n2 No\n0 Back",
    "ask_consent": "May we send you SMS about jobs and training?\n1 Yes\n2 No\n0 Back",
    "summary_title": "Please check:",
    "summary_footer": "1 Confirm 0 Back",
    "summary_footer_more": "1 Confirm 9 More 0 Back",
    "summary_person": "{name}, {sex}, born {year}",
    "summary_place": "{township}, {county}",
    "summary_skills": "Skills: {skills}",
    "summary_choices": "Outside Yunnan: {outside}. SMS: {consent}",
    "registered": "Registered. Thank you, {name}!",
    "registered_plain": "Registered. Thank you!",
    "registered_sms": "We will text you about jobs.",
    "registered_no_sms": "Dial us any time to see jobs.",
    "profile_title": "My profile (pick to change)",
    "profile_name": "Name: {value}",
    "profile_sex": "Sex: {value}",
    "profile_birth_year": "Born: {value}",
    "profile_township": "Township: {value}",
    "profile_skills": "Skills: {value}",
    "profile_outside": "Outside Yunnan: {value}",
    "profile_consent": "SMS: {value}",
    # Why an answer was refused (shared by USSD and SMS)
    "name_empty": "Name is missing.",
    "name_long": "Name: 20 characters at most.",
    "name_chars": "Name: letters only, please.",
    "sex_bad": "Sex: 1 (male) or 2 (female).",
    "year_format": "Year of birth: 4 digits, e.g. 1990.",
    "year_range": "Age must be 16-60 (born {first}-{last}).",
    "yes_no_bad": "Please reply 1 or 2.",
    "township_missing": "No township called \"{text}\".",
    "township_many": "Several townships match: {names}. Write the full name.",
    "township_too_many": "Too many townships match. Write the full name.",
    "skills_bad": "Reply numbers 1-{count}, or 0 for none.",
    # SMS replies
    "sms_opted_out": (
        "You are unsubscribed and will get no more messages from Jobline. "
        "Reply START to subscribe again."
    ),
    "sms_opted_in": "You are subscribed again. Reply STOP at any time to unsubscribe.",
    "sms_help": (
        "Jobline: reply REG to register, or send in one message: "
        "REG name, sex, year of birth, township. "
        "HELP: this help. STOP: unsubscribe. START: subscribe again."
    ),
    "sms_unknown": "Sorry, we did not understand. Reply REG to register or HELP for help.",
    "sms_still_opted_out": "You have unsubscribed. Reply START to get messages again.",
    "sms_continue": "Reply to the last question to go on registering.",
    "sms_reg_intro": "Registration: 6 short questions.",
    "sms_ask_name": "What is your name?",
    "sms_ask_sex": "Your sex? Reply 1 for male, 2 for female.",
    "sms_ask_birth_year": "Your year of birth? (e.g. 1990)",
    "sms_ask_township": "Which township do you live in? Reply its name, e.g. {example}",
    "sms_pick_township": "Several townships match. Reply with a number:",
    "sms_ask_skills": "Your skills? Reply numbers separated by spaces, or 0 for none:",
    "sms_ask_outside": "Willing to work outside Yunnan province? Reply 1 yes, 2 no.",
    "sms_registered": (
        "Registered. Thank you, {name}! We will text you about suitable jobs. "
        "Reply STOP to unsubscribe."
    ),
    "sms_already": (
        "{name}, you are already registered. To see or change your details, "
        "dial our USSD service and choose 5 My profile."
    ),
    "sms_form_format": (
        "Format: REG name, sex, year of birth, township. "
        "Example: REG Li Ming, M, 1990, {example}"
    ),
    "sms_form_wrong": (
        "{reasons} Please fix and send again: REG name, sex, year of birth, township. "
        "Or reply REG alone to answer step by step."
    ),
    "sms_reason_sep": " ",
}
