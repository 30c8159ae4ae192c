import type { Migration } from 'kysely';
import * as foundation from './20261127T1300_foundation';
import * as programmes from './20261127T1400_programmes_sessions_bookings';
import * as youngPeople from './20261127T1500_young_people_attendance';
import * as awards from './20261127T1600_awards';
import * as mentoring from './20261127T1610_mentoring';
import * as stationHeadcounts from './20261127T1700_station_headcount_workshop_feedback';
import * as outcomeQuestions from './20261127T1800_outcome_questions';
import * as reportRollups from './20261127T1900_report_rollups';
import * as pccNarratives from './20261127T1910_pcc_narratives';
import * as headcountYearGroupCheck from './20261202T0900_headcount_year_group_check';
import * as outboxDelivery from './20261202T1000_outbox_delivery';
import * as reportRollupFailures from './20261202T1100_report_rollup_failures';
import * as calendarFeedMaker from './20261202T1200_calendar_feed_maker';
import * as bookingOnBehalf from './20261202T1300_booking_on_behalf';
import * as secondFactor from './20261202T1400_second_factor';
import * as searchKeys from './20261202T1700_search_keys';
import * as retention from './20261203T0900_retention';
import * as attendanceReasons from './20261203T1000_attendance_reasons_versions';
import * as bookingCancelUndo from './20261203T1200_booking_cancel_undo';
import * as bookingWholeOnly from './20261203T1210_booking_whole_only';
import * as attendanceClientChange from './20261204T0100_attendance_client_change';
import * as schoolTerms from './20261204T0300_school_terms';
import * as mentoringPairEnd from './20261204T0400_mentoring_pair_end';
import * as professionals from './20261204T0500_professionals';
import * as headcountVersions from './20261205T0100_headcount_versions';
import * as incrementalRollups from './20261205T0300_incremental_rollups';
import * as dayLogClientChange from './20261206T0100_day_log_client_change';
import * as rollupReadIndexes from './20261207T0100_rollup_read_indexes';
import * as reachByPhase from './20261208T0100_reach_by_phase';
import * as rephasedSchools from './20261209T0100_rephased_schools';
import * as outcomeRollup from './20261210T0100_outcome_rollup';
import * as outcomeMonth from './20261211T0100_outcome_month';

// Every migration, by name, in the order they apply. Listed by hand rather than read from the
// folder so the app bundle, Vitest and the command line all load the same set; a test checks
// that every file here is listed.
export const migrations: Record<string, Migration> = {
	'20261127T1300_foundation': foundation,
	'20261127T1400_programmes_sessions_bookings': programmes,
	'20261127T1500_young_people_attendance': youngPeople,
	'20261127T1600_awards': awards,
	'20261127T1610_mentoring': mentoring,
	'20261127T1700_station_headcount_workshop_feedback': stationHeadcounts,
	'20261127T1800_outcome_questions': outcomeQuestions,
	'20261127T1900_report_rollups': reportRollups,
	'20261127T1910_pcc_narratives': pccNarratives,
	'20261202T0900_headcount_year_group_check': headcountYearGroupCheck,
	'20261202T1000_outbox_delivery': outboxDelivery,
	'20261202T1100_report_rollup_failures': reportRollupFailures,
	'20261202T1200_calendar_feed_maker': calendarFeedMaker,
	'20261202T1300_booking_on_behalf': bookingOnBehalf,
	'20261202T1400_second_factor': secondFactor,
	'20261202T1700_search_keys': searchKeys,
	'20261203T0900_retention': retention,
	'20261203T1000_attendance_reasons_versions': attendanceReasons,
	'20261203T1200_booking_cancel_undo': bookingCancelUndo,
	'20261203T1210_booking_whole_only': bookingWholeOnly,
	'20261204T0100_attendance_client_change': attendanceClientChange,
	'20261204T0300_school_terms': schoolTerms,
	'20261204T0400_mentoring_pair_end': mentoringPairEnd,
	'20261204T0500_professionals': professionals,
	'20261205T0100_headcount_versions': headcountVersions,
	'20261205T0300_incremental_rollups': incrementalRollups,
	'20261206T0100_day_log_client_change': dayLogClientChange,
	'20261207T0100_rollup_read_indexes': rollupReadIndexes,
	'20261208T0100_reach_by_phase': reachByPhase,
	'20261209T0100_rephased_schools': rephasedSchools,
	'20261210T0100_outcome_rollup': outcomeRollup,
	'20261211T0100_outcome_month': outcomeMonth
};
