import { describe, expect, it } from 'vitest';
import { resultScope } from './result-scope';

const clinician = { user: 'dr', role: 'Clinician', attributes: { wards: ['General Medicine'] } };

describe('the scope of a result', () => {
  it('says a figure under a row filter is the reader own slice, naming the attributes', () => {
    const scope = resultScope(
      [
        'row filter on evergreen_admissions (Evergreen stays on own wards)',
        'row filter on evergreen_bed_alarms (Evergreen stays on own wards)',
      ],
      clinician,
    );
    expect(scope.filtered).toBe('Your rows only (wards: General Medicine): Evergreen stays on own wards');
    expect(scope.suppressed).toBeUndefined();
  });

  it('says nothing for an unfiltered result, and names suppression', () => {
    expect(resultScope(['mask hash on admissions.subject_id (hashed keys)'], clinician)).toEqual({});
    expect(
      resultScope(['small cells on los_by_ward: groups under 11 patients suppressed'], {
        ...clinician,
        attributes: {},
      }).suppressed,
    ).toMatch(/held back/);
  });
});
