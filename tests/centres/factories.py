import datetime

import factory

from centres.models import BoardMember, Gender, Instructor, InstructorAssignment
from tests.factories import CentreFactory


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember

    centre = factory.SubFactory(CentreFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thành {n}")
    gender = Gender.MALE
    position = BoardMember.Position.UY_VIEN
    main_post = "Chủ tịch Hội Nông dân xã"
    term_start = datetime.date(2021, 7, 1)


class InstructorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instructor

    full_name = factory.Sequence(lambda n: f"Trần Thị Hương {n}")
    gender = Gender.FEMALE
    birth_year = 1980
    field = "trồng trọt"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstructorAssignment

    centre = factory.SubFactory(CentreFactory)
    instructor = factory.SubFactory(InstructorFactory)
    kind = InstructorAssignment.Kind.BAO_CAO_VIEN
