import type { Db } from '../db';

// A school's own records, as it downloads them: its current young people, its bookings, and who
// from the school was marked on which session's register. Only the school's own rows.

export async function listSchoolYoungPeople(db: Db, schoolId: string) {
	return db
		.selectFrom('young_person')
		.select(['first_name', 'last_name', 'reception_year', 'gender', 'sen', 'free_school_meals'])
		.where('school_id', '=', schoolId)
		.where('archived_at', 'is', null)
		.orderBy('reception_year', 'desc')
		.orderBy('last_name')
		.orderBy('first_name')
		.execute();
}

export async function listSchoolBookings(db: Db, schoolId: string) {
	return db
		.selectFrom('booking')
		.innerJoin('programme_session', 'programme_session.id', 'booking.session_id')
		.innerJoin('programme', 'programme.id', 'programme_session.programme_id')
		.select([
			'booking.id',
			'programme.name as programme',
			'programme_session.starts_at',
			'programme_session.ends_at',
			'programme_session.venue',
			'booking.year_group',
			'booking.places',
			'booking.confirmed_places',
			'booking.status',
			'booking.contact_name',
			'booking.created_at'
		])
		.where('booking.school_id', '=', schoolId)
		.orderBy('programme_session.starts_at')
		.orderBy('booking.created_at')
		.execute();
}

export async function listSchoolAttendance(db: Db, schoolId: string) {
	return db
		.selectFrom('attendance_mark')
		.innerJoin('young_person', 'young_person.id', 'attendance_mark.young_person_id')
		.innerJoin('programme_session', 'programme_session.id', 'attendance_mark.session_id')
		.innerJoin('programme', 'programme.id', 'programme_session.programme_id')
		.select([
			'programme.name as programme',
			'programme_session.starts_at',
			'programme_session.venue',
			'young_person.first_name',
			'young_person.last_name',
			'young_person.reception_year',
			'attendance_mark.status'
		])
		.where('young_person.school_id', '=', schoolId)
		.orderBy('programme_session.starts_at')
		.orderBy('young_person.last_name')
		.orderBy('young_person.first_name')
		.execute();
}
