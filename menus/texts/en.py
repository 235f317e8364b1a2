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
    "resume": "Your last session was cut off.\n1 Continue where you were\n2 Start over",
    # Jobs (USSD)
    "jobs_title": "Jobs for you",
    "no_jobs": "No jobs for you right now. Please look again in a few days.\n0 Back",
    "job_gone_line": "(closed)",
    "job_gone": "This job is no longer open.\n0 Back",
    "job_place_wage": "{place}, {wage} yuan/month",
    "job_employer": "Employer: {employer}",
    "job_agency": "Agency: {agency}",
    "job_terms": "{months}-month contract, {hours} h/day, {days} days/week",
    "board_yy": "Meals and housing provided",
    "board_yn": "Meals provided, no housing",
    "board_ny": "Housing provided, no meals",
    "board_nn": "No meals or housing",
    "job_dates": "Departs: {departure}. Apply by: {deadline}",
    "date_unknown": "to be set",
    "date_day": "{day} {month}",
    "date_year": "{day} {month} {year}",
    "job_code": "Check code: {code}.",
    "no_fee": "Never pay a recruitment fee!",
    "job_footer": "1 Register interest 0 Back",
    "apply_confirm": "Register interest in: {title}?\n1 Confirm\n0 Back",
    "applied": (
        "Done! The agency will text you if you are shortlisted. "
        "Never pay a recruitment fee.\n0 Back"
    ),
    "refused": "{reason}\n0 Back",
    "refuse_not_registered": "Please register first.",
    "refuse_closed": "This job is no longer open.",
    "refuse_not_eligible": "You do not meet this job's conditions (sex or age).",
    "refuse_already_applied": "You already applied for this job.",
    "refuse_full": "This job has no places left.",
    # My applications (USSD)
    "apps_title": "My applications",
    "no_apps": "You have no applications yet.\n0 Back",
    "app_gone": "This application was not found.\n0 Back",
    "app_gone_line": "(none)",
    "status_interested": "applied",
    "status_shortlisted": "shortlisted",
    "status_confirmed": "confirmed",
    "status_departed": "departed",
    "status_withdrawn": "withdrawn",
    "status_rejected": "not selected",
    "status_no_show": "did not show up",
    "app_status": "Status: {status}",
    "app_reason": "Reason: {reason}",
    "app_footer": "1 Withdraw 0 Back",
    "withdraw_confirm": "Withdraw your application for: {title}?\n1 Confirm\n0 Back",
    "withdrawn": "Your application is withdrawn.\n0 Back",
    "cannot_withdraw": "Cannot withdraw this.",
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
        "Jobline: JOBS: jobs for you. JOB 12: details. APPLY 12: apply. MY: your applications. "
        "WITHDRAW 12: cancel. TRAIN: training. VERIFY code: check an offer. PROBLEM: report a "
        "problem. REG: register, or in one message: REG name, sex, year of birth, township. "
        "STOP: unsubscribe. START: subscribe again. DELETE: erase your data."
    ),
    "sms_unknown": (
        "Sorry, we did not understand. Reply JOBS for jobs, REG to register or HELP for help."
    ),
    "sms_erase_confirm": (
        "Erase all your personal data from Jobline? Reply YES within 10 minutes to confirm; "
        "any other reply cancels."
    ),
    "sms_erase_unregistered": "This phone is not registered with Jobline: there is nothing to "
                              "erase.",
    "sms_erased": "Your personal data has been erased from Jobline. We will send you no more "
                  "messages.",
    "sms_still_opted_out": "You have unsubscribed. Reply START to get messages again.",
    "sms_continue": "Reply to the last question to go on registering.",
    "sms_ask_resume": "Reply 1 to finish your registration by SMS.",
    "wechat_welcome": (
        "Welcome to Jobline, the job line of Lincang. To use it here, send your mobile number: "
        "we will text you a code."
    ),
    "wechat_ask_phone": "To link your WeChat to Jobline, send your mobile number.",
    "wechat_code_sent": "We sent a code by SMS to {phone}. Send the code here.",
    "wechat_code_wrong": (
        "That code is not right. Send the code from the SMS, or your number again."
    ),
    "wechat_linked": "Linked to {phone}. Send HELP to see what you can do here.",
    "wechat_code_sms": "Your Jobline WeChat code is {code}. Do not give it to anyone.",
    "ussd_dropped_register": (
        "Your call was cut off, but your registration is kept. Dial {code} again to go on, "
        "or reply 1 to finish it by SMS."
    ),
    "ussd_dropped_edit": (
        "Your call was cut off. The changes you saved are kept. Dial {code} again to go on."
    ),
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
    # SMS job keywords
    "sms_jobs_title": "Jobs for you:",
    "sms_job_line": "{id} {title}, {place}, {wage} yuan",
    "sms_jobs_more": "{count} in all: dial us to see all.",
    "sms_jobs_hint": "JOB {id}: details. APPLY {id}: apply. Never pay a recruitment fee!",
    "sms_no_jobs": "No jobs for you right now. We will text you about new ones.",
    "sms_no_jobs_register": (
        "No jobs for you right now. Reply REG to register and we will text you about new ones."
    ),
    "sms_job_head": "Job {id}: {title}",
    "sms_apply_hint": "Reply APPLY {id} to apply.",
    "sms_not_a_job": "There is no open job number {id} for you. Reply JOBS to see yours.",
    "sms_number_usage": "Add the job number after {word}, e.g. {word} 12. Reply JOBS for numbers.",
    "sms_applied": (
        "You registered interest in job {id}: {title}. The agency will text you. "
        "Reply MY for news, WITHDRAW {id} to cancel. Never pay a recruitment fee!"
    ),
    "sms_refused": "Cannot apply for job {id}: {reason}",
    "sms_register_first": "Please register first: reply REG. Then you can apply for jobs.",
    "sms_my_title": "Your applications:",
    "sms_my_line": "{id} {title}: {status}",
    "sms_my_reason": " ({reason})",
    "sms_my_more": "{count} more not shown.",
    "sms_my_hint": "Reply WITHDRAW and the number to withdraw.",
    "sms_no_apps": "You have no applications. Reply JOBS to see jobs for you.",
    "sms_withdrawn": "Withdrawn: your application for job {id}: {title}.",
    "sms_no_withdraw": (
        "You have no application for job {id} that can be withdrawn. Reply MY to see yours."
    ),
    "sms_verify_usage": "Reply VERIFY and the code, e.g. VERIFY AB12CD.",
    "sms_verify_published": (
        "Code {code} is genuine: a vetted Jobline posting. {title}. Employer: {employer}. "
        "Agency: {agency}. Wage: {wage} yuan/month. Never pay a recruitment fee!"
    ),
    "sms_verify_closed": (
        "Code {code} was a real, vetted posting ({title}, {employer}) but it is closed now. "
        "Be careful if anyone still recruits for it."
    ),
    "sms_verify_closed_bare": "Code {code} was a real, vetted posting but it is closed now.",
    "sms_verify_unknown": (
        "WARNING: {code} is not a vetted Jobline posting! Do not pay any fee. "
        "Call the programme officers on {phone}."
    ),
    # SMS sent when an agency decides (smsgateway.postings.applications)
    "sms_application_shortlisted": (
        "Good news: you are shortlisted for job {job} ({title}). The agency will contact you. "
        "Never pay a recruitment fee!"
    ),
    "sms_application_confirmed": (
        "Congratulations: job {job} ({title}) confirmed you. We will text you the departure "
        "details. Check code {code}. Never pay a recruitment fee!"
    ),
    "sms_application_rejected": (
        "Sorry, job {job} ({title}) did not select you. Reason: {reason}. "
        "Reply JOBS to see other jobs."
    ),
    "sms_job_alert": (
        "New job {job}: {title}, {place}, {wage_min}-{wage_max} yuan/month. Code {code}. "
        "Reply JOB {job} for details, APPLY {job} to apply. Never pay a recruitment fee."
    ),
    "sms_apology": "Sorry, something went wrong. We kept your message; please try again later.",
    "sms_apology_unrecorded": (
        "Sorry, something went wrong and your message was not saved. Please send it again later."
    ),
    # Problem reports
    "sms_case_opened": (
        "Your report is recorded as case {number}. An officer will contact you soon; "
        "we will text you each step."
    ),
    # Labour-service files
    "sms_registered_by_officer": (
        "{name}, an officer has registered you with Lincang Jobs. We will text you jobs "
        "that fit. Reply STOP to stop."
    ),
    # --- Training ---
    "training_span": "{start}-{end}",
    "training_trade": "{trade} training",
    "training_place": "Place: {place}",
    "training_dates": "Dates: {dates}",
    "training_places": "Places left: {count}",
    "trainings_title": "Training for you",
    "training_line": "{start} {trade}, {township}",
    "training_gone_line": "(closed)",
    "no_trainings": (
        "No training open to you right now. We will text you about new courses.\n0 Back"
    ),
    "training_already": "You are enrolled in this course.",
    "training_footer": "1 Enrol 0 Back",
    "training_gone": "This course is no longer open.\n0 Back",
    "training_confirm": "Enrol in {trade} training (starts {start})?\n1 Confirm\n0 Back",
    "training_enrolled": (
        "Enrolled! We will text you a reminder the day before it starts.\n0 Back"
    ),
    "enrol_refuse_not_registered": "Please register first.",
    "enrol_refuse_closed": "This course is no longer open. Please choose another.",
    "enrol_refuse_not_eligible": "This course is for another county. Please choose one in yours.",
    "enrol_refuse_already_enrolled": "You are already enrolled in this course.",
    "enrol_refuse_full": (
        "This course is full. Please choose another, or wait for our text about the next one."
    ),
    "sms_train_register_first": "Please register first: reply REG. Then you can enrol in training.",
    "sms_no_trainings": "No training open to you right now. We will text you about new courses.",
    "sms_trainings_title": "Training for you:",
    "sms_training_line": "{id} {trade}, {township}, {dates}, {left} places left",
    "sms_training_line_mine": "{id} {trade}, {township}, {dates} (enrolled)",
    "sms_trainings_more": "{count} in all: dial us, 3 Training, to see all.",
    "sms_trainings_hint": "Reply TRAIN {id} to enrol.",
    "sms_not_a_training": "There is no open course number {id}. Reply TRAIN to see open courses.",
    "sms_enrol_refused": "Cannot enrol in course {id}: {reason}",
    "sms_enrolled": (
        "Enrolled in course {id}: {trade}, {place}, {dates}. "
        "We will text you a reminder the day before."
    ),
    "sms_enrol_lost": (
        "Sorry, the last place of course {id} ({trade}, {dates}) was just taken: you are not "
        "enrolled. Reply TRAIN to see other courses."
    ),
    "sms_training_notice": (
        "Training {id}: {trade}, {place}, {dates}. To enrol reply TRAIN {id}, "
        "or dial our USSD service and choose 3 Training."
    ),
    "sms_training_reminder": (
        "Reminder: your {trade} training starts tomorrow, {place}, {dates}. Please be on time."
    ),
    "sms_training_cancelled": (
        "Sorry, course {id} ({trade}, {dates}) is cancelled. Reply TRAIN to see other courses."
    ),
    # --- end Training ---
    # --- Problem reports ---
    "case_wages_unpaid": "Wages unpaid",
    "case_contract": "Contract not as promised",
    "case_fees": "Fees demanded",
    "case_safety": "Safety",
    "case_ill_treatment": "Ill-treatment",
    "case_other": "Other",
    "problem_title": "Report a problem",
    "problem_describe": "Describe the problem in a few words.\n0 Back",
    "problem_anonymous": (
        "Hide your name from the employer and agency?\n1 Yes, stay anonymous\n2 No\n0 Back"
    ),
    "problem_confirm": "Send this report?\n{category}: {description}\nAnonymous: {anonymous}",
    "problem_confirm_footer": "1 Send 0 Back",
    "problem_sent": "Report sent. We will text you its case number.",
    "problem_reported": (
        "Report recorded as case {number}. An officer will contact you; "
        "we will text you each step."
    ),
    "problem_not_registered": "Please register first, then report the problem.",
    "problem_description_empty": "Please type a few words.",
    "problem_description_long": "Too long: {max} characters at most.",
    "problem_category_bad": "Please reply a number from 1 to {count}.",
    "sms_problem_intro": "Report a problem.",
    "sms_ask_problem_category": "What is it? Reply a number: {choices}",
    "sms_problem_choice": "{number} {name}",
    "sms_ask_problem_description": "Please describe the problem in one message.",
    "sms_ask_problem_anonymous": (
        "Hide your name from the employer and agency? Reply 1 yes, 2 no."
    ),
    "sms_problem_continue": "Reply to the last question to go on with your report.",
    "sms_problem_register_first": (
        "Please register first: reply REG. Then you can report a problem."
    ),
    "sms_case_in_progress": "Case {number}: an officer is now working on your report.",
    "sms_case_resolved": (
        "Case {number} is resolved. If the problem is not solved, reply PROBLEM."
    ),
    "sms_case_closed": "Case {number} is closed.",
    "sms_case_note": "{text} Note: {note}",
    # --- end problem reports ---
    # --- Departures, family contact, check-ins ---
    "sms_departure_reminder": (
        "Departure for {title}: {when} at {place}. Escort: {escort} {phone}. "
        "Reply YES to confirm, NO if you cannot go."
    ),
    "sms_departure_moved": (
        "Your departure for {title} has changed: now {when} at {place}. "
        "Reply YES to confirm, NO if you cannot go."
    ),
    "sms_departure_cancelled": (
        "Your departure for {title} on {when} is cancelled. We will text you the new date."
    ),
    "sms_departure_going": (
        "Thank you: you will leave {when} from {place}. Reply NO if you cannot go after all."
    ),
    "sms_departure_not_going": (
        "Noted: you cannot leave {when}. An officer may call you. "
        "Reply YES if you can go after all."
    ),
    "sms_no_departure": (
        "You have no departure to confirm now. When one is set we will text you its date "
        "and place. Reply MY to see your applications."
    ),
    "sms_family_usage": (
        "To name a family member who will hear when you leave and arrive, reply FAMILY and "
        "their phone, e.g. FAMILY 13912345678. FAMILY OFF removes it."
    ),
    "sms_family_bad_phone": "\"{text}\" is not a phone number. Example: FAMILY 13912345678",
    "sms_family_set": (
        "Family contact: {phone}. We text them only your name, the day you leave, the job's "
        "city and that you arrived. FAMILY OFF removes it."
    ),
    "sms_family_off": "Your family contact is removed: they will get no more messages about you.",
    "sms_family_named": (
        "Jobline: {name} named you as family contact. We will text you when they leave for "
        "work and when they arrive. Reply STOP to refuse."
    ),
    "sms_family_departed": "Jobline: {name} left today for work in {city}.",
    "sms_family_arrived": "Jobline: {name} has arrived in {city} and says all is well.",
    "sms_checkin": (
        "Jobline check-in ({title}): how are you? Reply 1 all is well, 2 I have a problem, "
        "3 I have come home."
    ),
    "sms_checkin_reminder": (
        "Reminder: we have not heard from you. Reply 1 all is well, 2 I have a problem, "
        "3 I have come home."
    ),
    "sms_checkin_well": "Thank you, glad all is well. Send PROBLEM at any time if that changes.",
    "sms_checkin_problem": (
        "Sorry to hear it. An officer will contact you. To describe the problem, "
        "send PROBLEM."
    ),
    "sms_checkin_home": "Welcome home! We will stop the check-ins. Reply JOBS for new jobs.",
    "app_departure": "Leaves {when}, {place}",
    "app_answer": "Your answer: {answer}",
    "answer_confirmed": "going",
    "answer_declined": "cannot go",
    "answer_none": "none yet",
    "app_departure_footer": "1 Confirm 2 Cannot go 0 Back",
    "departure_going": "Thank you: we expect you.\n0 Back",
    "departure_not_going": "Noted: you cannot go. An officer may call you.\n0 Back",
    # Broadcast templates (smsgateway/broadcasts/wording.py): an officer fills the variables
    "sms_broadcast_notice": "Labour office notice: {text} (Lincang labour export)",
    "sms_broadcast_meeting": "Labour office meeting: please come to {place} on {date} at {time}.",
    "sms_broadcast_training": (
        "Labour office training: {trade}, from {date} at {place}, free. Reply TRAIN to enrol."
    ),
    # --- Promise against reality (the arrival check-in's two questions) ---
    "sms_arrival_well": (
        "Glad you arrived well. Is the job the one the posting described? Reply 1 yes, 2 no."
    ),
    "sms_arrival_problem": (
        "Sorry to hear it: an officer will contact you. Is the job the one the posting "
        "described? Reply 1 yes, 2 no."
    ),
    "sms_promise_job_q": "Is the job the one the posting described? Reply 1 yes, 2 no.",
    "sms_promise_pay_q": "Are the wage and the hours as the posting said? Reply 1 yes, 2 no.",
    "sms_promise_job_no": (
        "Noted: an officer will take it up (case number by SMS). Are the wage and the hours "
        "as the posting said? Reply 1 yes, 2 no."
    ),
    "sms_promise_kept": (
        "Thank you. Answers like yours show the next villagers which employers keep their "
        "word."
    ),
    "sms_promise_broken": (
        "Thank you. An officer will take it up (case number by SMS). Answers like yours warn "
        "the next villagers."
    ),
    "sms_promise_noted": "Your answer is already noted, thank you. Send PROBLEM to tell more.",
    # --- end promise against reality ---
    # the record a job's details show (k-anonymity: from 5 answers)
    "job_paid_last_month": "{paid} of {answered} paid in full last month",
    # --- Cohorts: leaders, team reports, arrival noticed (followup/cohorts.py) ---
    "sms_leader_squad": (
        "Jobline: you are squad leader of the group that left {when} for {city}. Help the "
        "group and tell us of any problem: reply PROBLEM. Thank you!"
    ),
    "sms_leader_vice_squad": (
        "Jobline: you are vice squad leader of the group that left {when} for {city}. Help "
        "the squad leader. Any problem: reply PROBLEM."
    ),
    "sms_leader_team": (
        "Jobline: you lead team {team} ({size} people) in {city}. When we ask, reply TEAM "
        "{team} OK, or how many have a problem and what: TEAM {team} 2 pay late"
    ),
    "sms_team_report_due": (
        "Jobline: team {team} report due. Reply TEAM {team} OK if all is well, or how many "
        "have a problem and what, e.g. TEAM {team} 2 pay late"
    ),
    "sms_team_report_chase": (
        "Reminder: no report yet for team {team}. Reply TEAM {team} OK, or e.g. TEAM {team} "
        "2 pay late. If we hear nothing the officer will call."
    ),
    "sms_team_ok": "Thank you: team {team} all well, noted. We will ask again at the next report.",
    "sms_team_problem": (
        "Thank you: team {team}, {count} with a problem, noted. An officer will contact you; "
        "a case number follows by SMS."
    ),
    "sms_team_already": (
        "Already noted: team {team} report. Thank you. Anything new? Reply TEAM {team} with it."
    ),
    "sms_team_usage": (
        "To report for your team reply TEAM, its number, then OK or how many have a problem "
        "and what, e.g. TEAM 12 OK or TEAM 12 2 pay late"
    ),
    "sms_team_not_leader": (
        "You do not lead team {team}. Only a team leader the officer named can send TEAM "
        "reports. Problems: reply PROBLEM."
    ),
    "sms_team_too_many": (
        "Team {team} has {size} people: reply TEAM {team} and a number up to {size}, "
        "e.g. TEAM {team} 2 pay late"
    ),
    "sms_family_heard_question": (
        "Jobline: {name} has not answered us since going to {city}. Heard from them? "
        "Reply 1 yes, 2 no. An officer will follow up."
    ),
    "sms_family_heard_yes": (
        "Thank you: you heard from {name}, noted. The officer still checks on all workers."
    ),
    "sms_family_heard_no": (
        "Thank you. An officer will try to reach {name} now and call you if there is news."
    ),
    "sms_family_heard_already": "Already noted, thank you. An officer is following up {name}.",
    # --- end cohorts ---
    # --- pay checks (menus/paychecks.py, followup/paychecks.py) ---
    "sms_pay_check": (
        "Jobline pay check: were you paid for {month}? Reply 1 in full, 2 in part, 3 not at "
        "all. If not in full, an officer takes up a wage case for you."
    ),
    "sms_pay_check_reminder": (
        "Reminder: were you paid for {month}? Reply 1 in full, 2 in part, 3 not at all."
    ),
    "sms_pay_full": "Thank you: paid in full for {month}, noted. We will ask again next month.",
    "sms_pay_ask_amount": (
        "Noted: not paid in full for {month}. We open a wage case. How much is missing? "
        "Reply the amount in yuan, e.g. 1200"
    ),
    "sms_pay_ask_amount_again": (
        "Your answer for {month} is noted. How much is missing? Reply the amount in yuan, "
        "e.g. 1200"
    ),
    "sms_pay_amount_bad": "Please reply the amount missing in yuan as a number, e.g. 1200",
    "sms_pay_amount_noted": (
        "Noted: {amount} yuan missing for {month}, in wage case {number}. An officer will "
        "take it up and text you."
    ),
    "sms_pay_already": (
        "Your answer for {month} is already noted, thank you. Send PROBLEM for anything else."
    ),
    "ussd_pay_check": "Were you paid for {month}?\n1 In full\n2 In part\n3 Not at all\n0 Menu",
    "ussd_pay_amount": (
        "Noted: not paid in full for {month}. We open a wage case. How much is missing? "
        "Enter the yuan, e.g. 1200\n0 Menu"
    ),
    "ussd_pay_amount_bad": "Enter a number, e.g. 1200",
    "ussd_pay_amount_noted": (
        "Noted: {amount} yuan missing for {month}. An officer will take up your wage case "
        "and text you."
    ),
    # --- end pay checks ---
    # --- Recruitment days (interviews) ---
    "sms_interview_invite": (
        "Jobline recruitment day: {title} interviews at {place}, {date}. Reply 1 to book "
        "a time."
    ),
    "sms_interview_slots": "Free times {date}, reply the number:",
    "sms_interview_slot": "{number} {time}",
    "sms_interview_not_free": "{number} is not a free time.",
    "sms_interview_none_free": (
        "Sorry, every interview time on {date} is taken. Reply JOBS for other jobs."
    ),
    "sms_interview_booked": (
        "Booked: interview {date} {time} at {place}. We text you a reminder the day "
        "before; the agency tells you the result."
    ),
    "sms_interview_already": "Already noted: your interview is {date} {time} at {place}.",
    "sms_interview_lost": (
        "Sorry, the interview time {time} was just taken by someone else. Reply 1 to see "
        "the free times."
    ),
    "sms_interview_reminder": (
        "Reminder: your interview for {title} is tomorrow {time} at {place}. Bring your "
        "ID card."
    ),
    "sms_interview_cancelled": (
        "Sorry, the interviews for {title} at {place}, {date} are cancelled. Reply JOBS for "
        "other jobs."
    ),
    "ussd_interview": "Interviews {date}, {place}: {title}\n1 Book a time\n0 Menu",
    "ussd_interview_slots": "Free times {date}:",
    "ussd_interview_booked": "Booked: {date} {time}, {place}. We will remind you.",
    "ussd_interview_slot_taken": "That time was just taken.",
    # --- end Recruitment days ---
    # --- Templates for every message (issue 14): a case move with the officer's note, the
    # "apply lost" correction by reason, a composed reply carried in numbered parts ---
    "sms_case_in_progress_note": (
        "Case {number}: an officer is now working on your report. Note: {note}"
    ),
    "sms_case_resolved_note": (
        "Case {number} is resolved. If the problem is not solved, reply PROBLEM. Note: {note}"
    ),
    "sms_case_closed_note": "Case {number} is closed. Note: {note}",
    "sms_apply_lost_not_registered": (
        "Sorry, your application for job {id} ({title}) did not go through: "
        "Please register first. Reply JOBS for other jobs."
    ),
    "sms_apply_lost_closed": (
        "Sorry, your application for job {id} ({title}) did not go through: "
        "This job is no longer open. Reply JOBS for other jobs."
    ),
    "sms_apply_lost_not_eligible": (
        "Sorry, your application for job {id} ({title}) did not go through: "
        "You do not meet this job's conditions (sex or age). Reply JOBS for other jobs."
    ),
    "sms_apply_lost_already_applied": (
        "Sorry, your application for job {id} ({title}) did not go through: "
        "You already applied for this job. Reply JOBS for other jobs."
    ),
    "sms_apply_lost_full": (
        "Sorry, your application for job {id} ({title}) did not go through: "
        "This job has no places left. Reply JOBS for other jobs."
    ),
    "sms_reply_composed": "Jobline: {p1}{p2}{p3}{p4}{p5}{p6}{p7}{p8}{p9}{p10}{p11}{p12}{p13}{p14}",
    # --- end Templates for every message ---
}
